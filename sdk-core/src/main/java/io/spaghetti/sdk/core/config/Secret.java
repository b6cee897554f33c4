package io.spaghetti.sdk.core.config;

import java.util.Locale;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * A reference to a secret value: {@code env:NAME} (an environment variable) or {@code file:PATH}
 * (a mounted file; trailing newline removed). {@code value:LITERAL} exists for tests and local
 * demos only. The value is read on {@link #reveal()} and never appears in {@link #toString()}.
 */
public final class Secret {
    private enum Kind { ENV, FILE, VALUE }

    private final Kind kind;
    private final String ref;
    private final Function<String, String> env;

    private Secret(Kind kind, String ref, Function<String, String> env) {
        this.kind = kind;
        this.ref = ref;
        this.env = env;
    }

    public static Secret ofEnv(String variable) {
        return new Secret(Kind.ENV, requireText(variable), System::getenv);
    }

    public static Secret ofFile(Path path) {
        return new Secret(Kind.FILE, path.toString(), System::getenv);
    }

    public static Secret ofValue(String value) {
        return new Secret(Kind.VALUE, Objects.requireNonNull(value), System::getenv);
    }

    /**
     * Parses {@code env:NAME}, {@code file:PATH} or {@code value:LITERAL}.
     *
     * @throws IllegalArgumentException naming the accepted forms (never echoing the input)
     */
    public static Secret parse(String reference, Function<String, String> env) {
        int colon = reference.indexOf(':');
        String scheme = colon < 0 ? "" : reference.substring(0, colon);
        String rest = colon < 0 ? "" : reference.substring(colon + 1);
        Kind kind = switch (scheme) {
            case "env" -> Kind.ENV;
            case "file" -> Kind.FILE;
            case "value" -> Kind.VALUE;
            default -> throw new IllegalArgumentException(
                    "a secret must be a reference: write env:VARIABLE or file:/path/to/secret");
        };
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("the secret reference '" + scheme + ":' names nothing after the colon");
        }
        return new Secret(kind, rest, env);
    }

    /** Checks that the referenced value can be read; returns a problem description or null. */
    public String unresolvableReason() {
        try {
            reveal();
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Reads the secret. Call it where the value is handed to a client library, never to log it. */
    public String reveal() {
        return switch (kind) {
            case VALUE -> ref;
            case ENV -> {
                String v = env.apply(ref);
                if (v == null) {
                    throw new IllegalStateException("environment variable " + ref + " is not set");
                }
                yield v;
            }
            case FILE -> {
                try {
                    yield Files.readString(Path.of(ref), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new IllegalStateException("secret file " + ref + " cannot be read ("
                            + e.getClass().getSimpleName() + ")");
                }
            }
        };
    }

    /** The reference without the value, e.g. {@code env:REDIS_PASSWORD}; a literal shows as {@code value:***}. */
    public String reference() {
        return kind == Kind.VALUE ? "value:***" : kind.name().toLowerCase(Locale.ROOT) + ":" + ref;
    }

    @Override
    public String toString() {
        return "Secret[" + reference() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.kind == kind && s.ref.equals(ref);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, ref);
    }

    private static String requireText(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("secret reference must not be blank");
        }
        return s;
    }
}
