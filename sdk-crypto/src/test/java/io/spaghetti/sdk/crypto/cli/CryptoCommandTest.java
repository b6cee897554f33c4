package io.spaghetti.sdk.crypto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spaghetti.sdk.crypto.FieldContext;
import io.spaghetti.sdk.crypto.FieldEncryptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The ops command scripts/key-rotation.sh runs: current version, rotate, rewrap from stdin to stdout. */
class CryptoCommandTest {
    @TempDir
    Path dir;
    private final PrintStream stdout = System.out;
    private final InputStream stdin = System.in;

    @BeforeEach
    void configure() {
        System.setProperty("spaghetti.crypto.local.keystore", dir.resolve("kek.p12").toString());
        System.setProperty("spaghetti.redis.enabled", "false");
    }

    @AfterEach
    void restore() {
        System.clearProperty("spaghetti.crypto.local.keystore");
        System.clearProperty("spaghetti.redis.enabled");
        System.setOut(stdout);
        System.setIn(stdin);
    }

    private String run(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        int exit = new CommandLine(new CryptoCommand()).execute(args);
        System.setOut(stdout);
        assertThat(exit).as(String.join(" ", args)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rotatesAndRewrapsThroughTheServicesConfiguration() {
        assertThat(run("", "current-version").strip()).isEqualTo("v1");
        FieldContext ctx = FieldContext.of("acme", "email");
        List<String> values;
        try (var sdk = CryptoCommand.start()) {
            FieldEncryptor fields = sdk.module(io.spaghetti.sdk.crypto.CryptoModule.class).fields();
            values = List.of(fields.encryptString("a@x", ctx), fields.encryptString("b@x", ctx));
        }
        assertThat(run("", "rotate").strip()).isEqualTo("v2");
        List<String> rewrapped = run(String.join("\n", values) + "\n", "rewrap").lines().toList();
        assertThat(rewrapped).hasSize(2);
        try (var sdk = CryptoCommand.start()) {
            FieldEncryptor fields = sdk.module(io.spaghetti.sdk.crypto.CryptoModule.class).fields();
            assertThat(rewrapped).allSatisfy(v -> assertThat(fields.inspect(v).kekVersion()).isEqualTo("v2"));
            assertThat(fields.decryptString(rewrapped.get(0), ctx)).isEqualTo("a@x");
            assertThat(fields.decryptString(rewrapped.get(1), ctx)).isEqualTo("b@x");
        }
    }
}
