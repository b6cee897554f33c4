package io.spaghetti.sdk.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Connection details of the local stack ({@code .stack/stack.env}, written by scripts/stack.sh).
 * A missing service skips the test on a developer machine and fails it when {@code CI=true}.
 */
public final class StackEnv {
    private static final Map<String, String> VALUES = load();

    private StackEnv() {
    }

    public static String require(String key) {
        String v = VALUES.get(key);
        if (v == null || v.isBlank()) {
            String msg = key + " is not in .stack/stack.env: start the service with scripts/stack.sh up";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        return v;
    }

    /** Runs {@code scripts/stack.sh} with the given arguments (e.g. "up", "unleash") and fails the test if it fails. */
    public static void stackScript(String... args) {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("scripts/stack.sh"))) {
            root = root.getParent();
        }
        Assertions.assertNotNull(root, "scripts/stack.sh not found above " + Path.of("").toAbsolutePath());
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(root.resolve("scripts/stack.sh").toString()));
        command.addAll(java.util.List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Assertions.assertEquals(0, p.waitFor(), "scripts/stack.sh " + String.join(" ", args) + " failed");
        } catch (IOException e) {
            throw new IllegalStateException("cannot run scripts/stack.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> load() {
        Map<String, String> values = new HashMap<>();
        Path file = locate();
        if (file != null) {
            try {
                for (String line : Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && !line.startsWith("#")) {
                        values.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("STACK_")) {
                values.put(k, v);
            }
        });
        return values;
    }

    private static Path locate() {
        String dir = System.getenv("SPAGHETTI_TOOL_STACK_DIR");
        if (dir != null) {
            return Path.of(dir, "stack.env");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve(".stack/stack.env");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
