package io.spaghetti.sdk.signalr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a real network and a hostile client do: cuts, killed servers, malformed and oversized frames, no Redis. */
class SignalREdgesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HubServers servers = new HubServers();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private NodeClient node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
        servers.close();
    }

    private JsonNode invoke(String id, String method, Object... args) throws Exception {
        var cmd = node.command("invoke", id).put("ref", "r" + System.nanoTime()).put("method", method);
        var list = cmd.putArray("args");
        for (Object arg : args) {
            list.add(JSON.valueToTree(arg));
        }
        return node.call(cmd, "result");
    }

    @Test
    void aWebSocketCutForSecondsLosesNothingWithStatefulReconnect() throws Exception {
        HubServers.Server a = servers.start(true);
        HubServers.Server b = servers.start(true);
        TcpProxy proxy = new TcpProxy(URI.create(a.url()).getPort());
        closing.add(proxy);
        node = new NodeClient();
        JsonNode c = node.call(node.command("connect", "c").put("url", "http://127.0.0.1:" + proxy.port()
                + HubServers.PATH).put("stateful", true), "connected");
        assertThat(c.path("event").asText()).as(c.toString()).isEqualTo("connected");
        invoke("c", "Join", "cut");
        node.call(node.command("on", "c").put("ref", "l").put("method", "Seq"), "listening");
        for (int i = 0; i < 5; i++) {
            b.context().sendGroup("cut", "Seq", i).get(5, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(node.message("c", "Seq").path("args").get(0).asInt()).isEqualTo(i);
        }

        proxy.cut(Duration.ofSeconds(3));
        for (int i = 5; i < 25; i++) {
            b.context().sendGroup("cut", "Seq", i).get(5, TimeUnit.SECONDS);
            Thread.sleep(50);
        }
        for (int i = 5; i < 25; i++) {
            assertThat(node.message("c", "Seq").path("args").get(0).asInt()).as("message %d, in order", i).isEqualTo(i);
        }
        Thread.sleep(500);
        assertThat(node.drain("message", "c")).as("no duplicates").isEmpty();
        assertThat(node.drain("closed", "c")).as("the connection survived the cut").isEmpty();
        assertThat(invoke("c", "Echo", "after").path("value").asText()).isEqualTo("after");
        assertThat(a.sdk().meterRegistry().get("signalr.reconnects").tag("outcome", "resumed").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void aKilledServersClientReconnectsToTheOtherInstanceAndGetsLaterMessages() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HubServerChild.class.getName(), servers.prefix()).redirectErrorStream(true).start();
        closing.add(child::destroyForcibly);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            // start-up logs
        }
        assertThat(line).as("child server start-up").startsWith("READY ");
        URI childUrl = URI.create(line.substring("READY ".length()));
        HubServers.Server b = servers.start(true);
        TcpProxy balancer = new TcpProxy(childUrl.getPort());
        closing.add(balancer);
        node = new NodeClient();
        String url = "http://127.0.0.1:" + balancer.port() + HubServers.PATH;
        JsonNode first = node.call(node.command("connect", "c").put("url", url).put("reconnect", true), "connected");
        assertThat(first.path("event").asText()).as(first.toString()).isEqualTo("connected");
        node.call(node.command("on", "c").put("ref", "l").put("method", "Later"), "listening");

        balancer.target(URI.create(b.url()).getPort());
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);   // SIGKILL: no close frame, no goodbye

        JsonNode reconnected = node.await(e -> e.path("event").asText().equals("reconnected"), Duration.ofSeconds(30));
        assertThat(reconnected.path("connectionId").asText()).isNotEqualTo(first.path("connectionId").asText());
        invoke("c", "Join", "after-kill");   // groups belong to a connection: a reconnected client joins again
        b.context().sendGroup("after-kill", "Later", "on b").get(5, TimeUnit.SECONDS);
        assertThat(node.message("c", "Later").path("args").get(0).asText()).isEqualTo("on b");
        assertThat(b.hub().connected).hasSize(1);
    }

    @Test
    void malformedAndOversizedFramesCloseOnlyThatConnectionWithAnError() throws Exception {
        HubServers.Server a = servers.start(true);
        node = new NodeClient();
        node.call(node.command("connect", "good").put("url", a.hubUrl()), "connected");

        RawSocket malformed = RawSocket.open(a, "{\"protocol\":\"json\",\"version\":1}\u001e");
        assertThat(malformed.next()).isEqualTo("{}\u001e");
        malformed.socket.sendText("{\"type\":1,\"target\":\u001e", true);
        assertThat(malformed.next()).contains("\"type\":7").contains("Malformed JSON hub message");
        assertThat(malformed.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);

        RawSocket oversized = RawSocket.open(a, "{\"protocol\":\"json\",\"version\":1}\u001e");
        assertThat(oversized.next()).isEqualTo("{}\u001e");
        oversized.socket.sendText("{\"type\":1,\"target\":\"Echo\",\"arguments\":[\"" + "x".repeat(5000) + "\"]}\u001e",
                true);
        assertThat(oversized.next()).contains("\"type\":7").contains("exceeds the server's limit of 4096 bytes");
        oversized.closed.get(5, TimeUnit.SECONDS);

        RawSocket badProtocol = RawSocket.open(a, "{\"protocol\":\"xml\",\"version\":1}\u001e");
        assertThat(badProtocol.next()).contains("\"error\"").contains("'xml' is not supported");
        badProtocol.closed.get(5, TimeUnit.SECONDS);

        HttpResponse<String> unknown = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(a.hubUrl()
                + "?id=nope")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("negotiate a new one");

        assertThat(invoke("good", "Echo", "unaffected").path("value").asText()).isEqualTo("unaffected");
        assertThat(a.sdk().meterRegistry().get("signalr.disconnects").tag("reason", "protocol_error").counter().count())
                .isEqualTo(3.0);
    }

    @Test
    void withoutRedisHubsWorkOnOneServerInMemory() throws Exception {
        HubServers.Server solo = servers.start(false);
        node = new NodeClient();
        node.call(node.command("connect", "x").put("url", solo.hubUrl()), "connected");
        node.call(node.command("connect", "y").put("url", solo.hubUrl()).put("protocol", "messagepack"), "connected");
        invoke("x", "Join", "room");
        invoke("y", "Join", "room");
        node.call(node.command("on", "y").put("ref", "l").put("method", "Told"), "listening");
        node.call(node.command("on", "x").put("ref", "l").put("method", "Told"), "listening");

        invoke("x", "TellGroup", "room", java.util.Map.of("edit", 1));

        assertThat(node.message("y", "Told").path("args").toString()).isEqualTo("[{\"edit\":1}]");
        Thread.sleep(300);
        assertThat(node.drain("message", "x")).as("the sender is excluded").isEmpty();
        assertThat(solo.context().presence("room")).hasSize(2);
    }

    /** A hand-driven WebSocket, for frames the official client never sends. */
    private static final class RawSocket implements WebSocket.Listener {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static RawSocket open(HubServers.Server server, String handshake) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> negotiated = http.send(HttpRequest.newBuilder(URI.create(server.hubUrl()
                    + "/negotiate?negotiateVersion=1")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            String token = JSON.readTree(negotiated.body()).path("connectionToken").asText();
            RawSocket raw = new RawSocket();
            raw.socket = http.newWebSocketBuilder().buildAsync(URI.create(server.hubUrl().replace("http", "ws")
                    + "?id=" + token), raw).get(5, TimeUnit.SECONDS);
            raw.socket.sendText(handshake, true);
            return raw;
        }

        String next() throws InterruptedException {
            String s = texts.poll(5, TimeUnit.SECONDS);
            assertThat(s).as("a text frame within 5 s").isNotNull();
            return s;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
