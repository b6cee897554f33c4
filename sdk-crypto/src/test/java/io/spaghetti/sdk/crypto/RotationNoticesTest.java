package io.spaghetti.sdk.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.crypto.cli.CryptoCommand;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Rotation notices reach local Slack and Teams receivers in their formats; a failing one is retried, never waited for. */
class RotationNoticesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    /** A receiver that records bodies, answering {@code failFirst} requests with 500 and waiting for {@code gate}. */
    private final class Receiver {
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final AtomicInteger requests = new AtomicInteger();
        final String url;

        Receiver(int failFirst, CountDownLatch gate) throws Exception {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook/secret-token", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int n = requests.incrementAndGet();
                if (n <= failFirst) {
                    exchange.sendResponseHeaders(500, -1);
                } else {
                    bodies.add(body);
                    exchange.sendResponseHeaders(200, -1);
                }
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
            servers.add(server);
            url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook/secret-token";
        }
    }

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private Sdk sdk(Receiver slack, Receiver teams) {
        SdkConfig config = SdkConfig.loader().yaml("t", """
                redis:
                  enabled: false
                crypto:
                  local:
                    keystore: %s
                  notices:
                    slack: "value:%s"
                    teams: "value:%s"
                """.formatted(dir.resolve("kek.p12"), slack.url, teams.url))
                .environment(Map.of()).systemProperties(new Properties()).load();
        return Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new CryptoModule())).build();
    }

    @Test
    void aRotationPostsOneMessageInEachFormatAndAFailingReceiverIsRetriedWithoutHoldingTheRotation()
            throws Exception {
        CountDownLatch teamsGate = new CountDownLatch(1);
        Receiver slack = new Receiver(0, new CountDownLatch(0));
        Receiver teams = new Receiver(1, teamsGate);
        String version;
        try (Sdk sdk = sdk(slack, teams)) {
            version = sdk.module(CryptoModule.class).keys().rotate();
            assertThat(teams.bodies).as("the rotation returned while the Teams receiver still held its request")
                    .isEmpty();
            teamsGate.countDown();
        }
        assertThat(slack.bodies).hasSize(1);
        assertThat(JSON.readTree(slack.bodies.get(0)).path("text").asText())
                .contains("Key spaghetti-kek rotated").contains("version " + version).contains("(was v1)");
        assertThat(teams.requests).as("the first post got a 500 and was retried").hasValue(2);
        JsonNode card = JSON.readTree(teams.bodies.get(0));
        assertThat(card.path("@type").asText()).isEqualTo("MessageCard");
        assertThat(card.path("text").asText()).contains("version " + version);
        assertThat(card.path("sections").get(0).path("facts").findValuesAsText("value")).contains(version);
        assertThat(slack.bodies.get(0) + teams.bodies.get(0)).doesNotContain("secret-token");
    }

    @Test
    void theKeyRotationCommandsNotifyTheChatOfTheRotationAndTheRewrap() throws Exception {
        Receiver slack = new Receiver(0, new CountDownLatch(0));
        Receiver teams = new Receiver(0, new CountDownLatch(0));
        System.setProperty("spaghetti.crypto.local.keystore", dir.resolve("cli.p12").toString());
        System.setProperty("spaghetti.redis.enabled", "false");
        System.setProperty("spaghetti.crypto.notices.slack", "value:" + slack.url);
        System.setProperty("spaghetti.crypto.notices.teams", "value:" + teams.url);
        PrintStream out = System.out;
        InputStream in = System.in;
        try {
            System.setOut(new PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(new CommandLine(new CryptoCommand()).execute("rotate")).isZero();
            System.setIn(new ByteArrayInputStream(new byte[0]));
            assertThat(new CommandLine(new CryptoCommand()).execute("rewrap")).isZero();
        } finally {
            System.setOut(out);
            System.setIn(in);
            List.of("local.keystore", "notices.slack", "notices.teams").forEach(k -> System.clearProperty("spaghetti.crypto." + k));
            System.clearProperty("spaghetti.redis.enabled");
        }
        assertThat(slack.bodies).hasSize(2);
        assertThat(slack.bodies.get(0)).contains("rotated");
        assertThat(slack.bodies.get(1)).contains("rewrapped 0 stored values");
        assertThat(teams.bodies).hasSize(2);
    }
}
