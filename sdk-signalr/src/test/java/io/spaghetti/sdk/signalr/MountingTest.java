package io.spaghetti.sdk.signalr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.backplane.BackplaneModule;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A hub mounted on a server that is not Jetty: negotiate and a WebSocket through the public SPI only. */
class MountingTest {
    private final Sdk sdk = Sdk.builder().config(SdkConfig.loader().yaml("t", "redis:\n  enabled: false\n")
            .environment(Map.of()).systemProperties(new Properties()).load()).meterRegistry(new SimpleMeterRegistry())
            .modules(List.of(new RedisModule(), new BackplaneModule(), new SignalRModule())).build();

    /** The host server's WebSocket, recording what the hub writes. */
    private static final class RecordingSocket implements ClientSocket {
        final LinkedBlockingQueue<String> sent = new LinkedBlockingQueue<>();
        volatile boolean closed;

        @Override
        public void send(byte[] frames, boolean binary, Consumer<Throwable> done) {
            sent.add(new String(frames, StandardCharsets.UTF_8));
            done.accept(null);
        }

        @Override
        public void close() {
            closed = true;
        }

        String next() throws InterruptedException {
            String s = sent.poll(5, TimeUnit.SECONDS);
            assertThat(s).as("a frame within 5 s").isNotNull();
            return s;
        }
    }

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void negotiateAndAWebSocketOfAnotherServerReachTheHub() throws Exception {
        SignalRHubs hubs = sdk.module(SignalRModule.class).hubs().map("/hubs/t", "T", new TestHub(),
                Authenticator.anonymous());
        HubHttpResponse negotiated = hubs.negotiate("/hubs/t", Map.of("negotiateVersion", "1"), null);
        assertThat(negotiated.status()).isEqualTo(200);
        String token = new ObjectMapper().readTree(negotiated.body()).path("connectionToken").asText();

        RecordingSocket socket = new RecordingSocket();
        HubSocket hub = hubs.acceptWebSocket("/hubs/t", Map.of("id", token), null, socket);
        hub.received("{\"protocol\":\"json\",\"version\":1}\u001e".getBytes(StandardCharsets.UTF_8));
        assertThat(socket.next()).isEqualTo("{}\u001e");
        hub.received("{\"type\":1,\"invocationId\":\"1\",\"target\":\"echo\",\"arguments\":[\"hi\"]}\u001e"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(socket.next()).isEqualTo("{\"type\":3,\"invocationId\":\"1\",\"result\":\"hi\"}\u001e");

        assertThatThrownBy(() -> hubs.acceptWebSocket("/hubs/t", Map.of("id", token), null, new RecordingSocket()))
                .isInstanceOf(HubRequestException.class).hasMessageContaining("already has a transport");
        hub.closed(false);
        assertThat(hubs.connectionCount()).isZero();
        assertThatThrownBy(() -> hubs.acceptWebSocket("/hubs/t", Map.of("id", token), null, new RecordingSocket()))
                .isInstanceOf(HubRequestException.class).extracting(e -> ((HubRequestException) e).status())
                .isEqualTo(404);
        assertThat(hubs.negotiate("/hubs/none", Map.of(), null).status()).isEqualTo(404);
    }
}
