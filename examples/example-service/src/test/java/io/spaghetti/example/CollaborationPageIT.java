package io.spaghetti.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.Sdk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the example, as a person tries them: the collaboration page in headless Chromium on one,
 * the npm client in Node on the other, each sees the other's edit through the Redis backplane.
 */
class CollaborationPageIT {
    private static final Path NODE = Path.of("src/test/node").toAbsolutePath();

    @Test
    void thePageOnOneInstanceAndAClientOnTheOtherSeeEachOthersChanges() throws Exception {
        assertThat(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium")))
                .as("Debian's chromium (scripts/test.sh installs it)").exists();
        npmCi();
        try (ExampleService a = new ExampleService(Sdk.bootstrap(StackConfig.load()), 0);
                ExampleService b = new ExampleService(Sdk.bootstrap(StackConfig.load()), 0)) {
            String doc = "page" + System.nanoTime();
            Process check = new ProcessBuilder("node", "browser-check.js", a.hubServerUri() + "/collab",
                    b.hubServerUri() + DocumentHub.PATH, doc).directory(NODE.toFile()).redirectErrorStream(true).start();
            assertThat(check.waitFor(90, TimeUnit.SECONDS)).as("browser check finished").isTrue();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String last = out.substring(out.lastIndexOf('\n') + 1);
            JsonNode result = new ObjectMapper().readTree(last);
            assertThat(result.path("ok").asBoolean()).as(out).isTrue();
            assertThat(result.path("shown").asText()).contains("r1 anonymous: typed in node on B");
            assertThat(result.path("received").path("id").asText()).isEqualTo(doc);
            assertThat(result.path("received").path("change").path("text").asText()).isEqualTo("typed in the browser on A");
            assertThat(result.path("present").asInt()).isEqualTo(2);
        }
    }

    private static void npmCi() throws Exception {
        if (Files.isDirectory(NODE.resolve("node_modules/playwright-core"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(NODE.toFile())
                .redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0).as("npm ci: " + out).isTrue();
    }
}
