package io.spaghetti.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/key-rotation.sh local, as an operator runs it: the team's Slack and Teams webhooks hear of it. */
class KeyRotationScriptIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private String receiver(List<String> bodies) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Test
    void aLocalRotationPostsOneMessageInEachFormatAndTheRewrapAnother() throws Exception {
        List<String> slack = new CopyOnWriteArrayList<>();
        List<String> teams = new CopyOnWriteArrayList<>();
        Path values = Files.writeString(dir.resolve("values.txt"), "");
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("scripts/key-rotation.sh"))) {
            root = root.getParent();
        }
        ProcessBuilder pb = new ProcessBuilder(root.resolve("scripts/key-rotation.sh").toString(), "local",
                values.toString()).redirectErrorStream(true);
        pb.environment().put("SPAGHETTI_CRYPTO_LOCAL_KEYSTORE", dir.resolve("kek.p12").toString());
        pb.environment().put("SPAGHETTI_REDIS_ENABLED", "false");
        pb.environment().put("SPAGHETTI_CRYPTO_NOTICES_SLACK", "value:" + receiver(slack));
        pb.environment().put("SPAGHETTI_CRYPTO_NOTICES_TEAMS", "value:" + receiver(teams));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("new local KEK version: v2");
        assertThat(slack).hasSize(2);
        assertThat(JSON.readTree(slack.get(0)).path("text").asText()).contains("rotated").contains("version v2");
        assertThat(JSON.readTree(slack.get(1)).path("text").asText()).contains("rewrapped 0 stored values");
        assertThat(teams).hasSize(2);
        assertThat(JSON.readTree(teams.get(0)).path("@type").asText()).isEqualTo("MessageCard");
    }
}
