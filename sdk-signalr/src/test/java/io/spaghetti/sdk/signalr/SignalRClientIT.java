package io.spaghetti.sdk.signalr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The unmodified npm SignalR client (Node) against hubs on two SDK instances sharing the stack's Redis. */
class SignalRClientIT {
    private final HubServers servers = new HubServers();
    private NodeClient node;
    private HubServers.Server a;
    private HubServers.Server b;

    @BeforeEach
    void start() throws Exception {
        a = servers.start(true);
        b = servers.start(true);
        node = new NodeClient();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        servers.close();
    }

    private JsonNode connect(String id, String url, String transport, String protocol) throws Exception {
        JsonNode e = node.call(node.command("connect", id).put("url", url).put("transport", transport)
                .put("protocol", protocol), "connected");
        assertThat(e.path("event").asText()).as(e.toString()).isEqualTo("connected");
        return e;
    }

    private JsonNode invoke(String id, String method, Object... args) throws Exception {
        ObjectNode cmd = node.command("invoke", id).put("ref", "r" + System.nanoTime()).put("method", method);
        var list = cmd.putArray("args");
        for (Object arg : args) {
            list.add(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(arg));
        }
        return node.call(cmd, "result");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"WebSockets, json", "WebSockets, messagepack", "ServerSentEvents, json", "LongPolling, json",
            "LongPolling, messagepack"})
    void everyTransportAndProtocolInvokesAndReceivesGroupMessagesFromTheOtherServer(String transport, String protocol)
            throws Exception {
        connect("c", a.hubUrl(), transport, protocol);
        assertThat(invoke("c", "Echo", "héllo").path("value").asText()).isEqualTo("héllo");
        assertThat(invoke("c", "add", 2, 3).path("value").asInt()).isEqualTo(5);
        assertThat(invoke("c", "Describe", Map.of("b", 1, "a", List.of(1, 2))).path("value").path("keys").toString())
                .isEqualTo("[\"a\",\"b\"]");
        assertThat(invoke("c", "Later", "soon").path("value").asText()).isEqualTo("SOON");
        assertThat(invoke("c", "Join", "doc-1").path("event").asText()).isEqualTo("result");
        node.call(node.command("on", "c").put("ref", "l").put("method", "Changed"), "listening");

        b.context().sendGroup("doc-1", "Changed", Map.of("title", "new"), 7).get(5, TimeUnit.SECONDS);

        JsonNode m = node.message("c", "Changed");
        assertThat(m.path("args").toString()).isEqualTo("[{\"title\":\"new\"},7]");
        assertThat(a.hub().connected).hasSize(1);

        node.call(node.command("stop", "c").put("ref", "s"), "stopped");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.hub().disconnected.size() == 1);
    }

    @Test
    void hubErrorsReachTheClientWithoutServerInternals() throws Exception {
        connect("c", a.hubUrl(), "WebSockets", "json");
        JsonNode refused = invoke("c", "Refuse", "document is locked");
        assertThat(refused.path("error").asText()).contains("HubException: document is locked");
        JsonNode crashed = invoke("c", "Crash");
        assertThat(crashed.path("error").asText()).contains("An unexpected error occurred invoking 'Crash' on the server.")
                .doesNotContain("jdbc").doesNotContain("IllegalState");
        assertThat(invoke("c", "NoSuchMethod").path("error").asText()).contains("Unknown hub method 'NoSuchMethod'");
        assertThat(invoke("c", "Add", 1).path("error").asText()).contains("it takes 2 argument(s), the client sent 1");
        assertThat(invoke("c", "Add", "x", 2).path("error").asText()).contains("argument 1 is not a int");
        // the connection is still usable after every error
        assertThat(invoke("c", "Echo", "still here").path("value").asText()).isEqualTo("still here");
    }

    @Test
    void aUserSendOnOneServerReachesTheUsersConnectionOnTheOther() throws Exception {
        JsonNode refused = node.call(node.command("connect", "anon").put("url", a.url() + HubServers.SECURE_PATH),
                "connected");
        assertThat(refused.path("event").asText()).isEqualTo("failed");
        assertThat(refused.path("error").asText()).contains("401");

        JsonNode ok = node.call(node.command("connect", "alice").put("url", a.url() + HubServers.SECURE_PATH)
                .put("token", "good-token").put("transport", "WebSockets"), "connected");
        assertThat(ok.path("event").asText()).as(ok.toString()).isEqualTo("connected");
        assertThat(invoke("alice", "WhoAmI").path("value").asText()).isEqualTo("alice");
        node.call(node.command("on", "alice").put("ref", "l").put("method", "Note"), "listening");

        b.context().sendUser("alice", "Note", "for alice").get(5, TimeUnit.SECONDS);

        assertThat(node.message("alice", "Note").path("args").get(0).asText()).isEqualTo("for alice");
    }

    @Test
    void streamsBothWaysAndCancellation() throws Exception {
        connect("c", a.hubUrl(), "WebSockets", "messagepack");
        JsonNode done = node.call(node.command("stream", "c").put("ref", "s1").put("method", "Counter")
                .set("args", node.command("x", "x").arrayNode().add(5).add(1)), "complete");
        assertThat(done.path("items").toString()).isEqualTo("[0,1,2,3,4]");

        JsonNode cancelled = node.call(node.command("stream", "c").put("ref", "s2").put("method", "Counter")
                .put("cancelAfter", 2).set("args", node.command("x", "x").arrayNode().add(1000).add(20)), "cancelled");
        assertThat(cancelled.path("items").toString()).isEqualTo("[0,1]");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.hub().cancelled.size() == 1);

        JsonNode sum = node.call(node.command("upload", "c").put("ref", "u").put("method", "Sum")
                .set("items", node.command("x", "x").arrayNode().add(1).add(2).add(39)), "result");
        assertThat(sum.path("value").asInt()).as(sum.toString()).isEqualTo(42);
    }

    @Test
    void clientResultsFromAHubMethodAndFromAnotherServer() throws Exception {
        JsonNode c = connect("c", a.hubUrl(), "WebSockets", "json");
        node.call(node.command("answer", "c").put("ref", "l").put("method", "GetAnswer").put("value", "forty-two"),
                "listening");
        assertThat(invoke("c", "AskCaller", "meaning?").path("value").asText()).isEqualTo("forty-two");

        JsonNode fromB = b.context().invokeConnection(c.path("connectionId").asText(), "GetAnswer", "again?")
                .get(10, TimeUnit.SECONDS);
        assertThat(fromB.asText()).isEqualTo("forty-two");
    }
}
