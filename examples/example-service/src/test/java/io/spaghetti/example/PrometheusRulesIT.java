package io.spaghetti.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.spaghetti.sdk.core.assets.Assets;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bundled rule file passes {@code promtool check rules} and its {@code promtool test rules} suite. */
class PrometheusRulesIT {
    /** Rule files bundled by the modules that own the metrics, each with a {@code .test.yml} beside it. */
    static final List<String> RULE_FILES = Assets.list("monitoring/prometheus/", "-rules.yml").stream()
            .map(p -> p.substring("monitoring/prometheus/".length(), p.length() - ".yml".length())).toList();

    @TempDir
    Path dir;

    @Test
    void rulesParseAndEveryAlertFiresAboveItsThresholdAndStaysSilentBelow() throws Exception {
        requireTool("promtool");
        assertThat(RULE_FILES).contains("ai-rules", "search-rules", "platform-rules", "collaboration-rules",
                "crypto-rules", "flags-rules");
        for (String name : RULE_FILES) {
            extract(name + ".yml");
            extract(name + ".test.yml");
            assertThat(run("promtool", "check", "rules", name + ".yml")).contains("SUCCESS");
            assertThat(run("promtool", "test", "rules", name + ".test.yml")).contains("SUCCESS");
        }
    }

    static void requireTool(String tool) {
        boolean present = Files.isExecutable(Path.of("/usr/bin", tool));
        String msg = tool + " is missing: scripts/test.sh installs it (prometheus, prometheus-alertmanager, "
                + "docker-compose, redis-server)";
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(msg);
        }
        Assumptions.assumeTrue(present, msg);
    }

    private void extract(String resource) throws IOException {
        Files.write(dir.resolve(resource), Assets.read("monitoring/prometheus/" + resource));
    }

    private String run(String... command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
