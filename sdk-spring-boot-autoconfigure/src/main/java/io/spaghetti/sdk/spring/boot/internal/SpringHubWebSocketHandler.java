package io.spaghetti.sdk.spring.boot.internal;

import io.spaghetti.sdk.signalr.ClientSocket;
import io.spaghetti.sdk.signalr.HubRequestException;
import io.spaghetti.sdk.signalr.HubSocket;
import io.spaghetti.sdk.signalr.SignalRHubs;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A hub's WebSockets on Spring's WebSocket support, through sdk-signalr's mount SPI. Writes are asynchronous
 * on the container's own WebSocket session when it has one (Tomcat, Jetty), so no hub or backplane thread ever
 * waits on a slow client; on another container they run on a small sender pool.
 */
public final class SpringHubWebSocketHandler extends AbstractWebSocketHandler {
    private static final Logger log = LoggerFactory.getLogger(SpringHubWebSocketHandler.class);
    private static final String HUB_SOCKET = "spaghetti.hubSocket";
    private static final CloseStatus LOST = new CloseStatus(1006);

    private final SignalRHubs hubs;
    private final String path;
    private final Executor fallbackSender;

    public SpringHubWebSocketHandler(SignalRHubs hubs, String path, Executor fallbackSender) {
        this.hubs = hubs;
        this.path = path;
        this.fallbackSender = fallbackSender;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        if (session.getUri() != null) {
            UriComponentsBuilder.fromUri(session.getUri()).build(true).getQueryParams()
                    .forEach((k, v) -> query.put(decode(k), v.isEmpty() || v.get(0) == null ? "" : decode(v.get(0))));
        }
        String authorization = session.getHandshakeHeaders().getFirst("Authorization");
        try {
            HubSocket hub = hubs.acceptWebSocket(path, query, authorization, new SessionSocket(session));
            session.getAttributes().put(HUB_SOCKET, hub);
        } catch (HubRequestException refused) {
            // The upgrade already happened: the refusal travels as the close reason (1008), as ASP.NET Core does.
            session.close(CloseStatus.POLICY_VIOLATION.withReason(truncate(refused.getMessage())));
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        HubSocket hub = (HubSocket) session.getAttributes().get(HUB_SOCKET);
        if (hub != null) {
            hub.received(message.asBytes());
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        HubSocket hub = (HubSocket) session.getAttributes().get(HUB_SOCKET);
        if (hub != null) {
            ByteBuffer payload = message.getPayload();
            byte[] data = new byte[payload.remaining()];
            payload.get(data);
            hub.received(data);
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        HubSocket hub = (HubSocket) session.getAttributes().remove(HUB_SOCKET);
        if (hub != null) {
            hub.closed(status.getCode() == LOST.getCode());
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("hub WebSocket {} failed: {}", session.getId(), exception.toString());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** A close reason is at most 123 bytes. */
    private static String truncate(String reason) {
        return reason.length() <= 120 ? reason : reason.substring(0, 120);
    }

    private final class SessionSocket implements ClientSocket {
        private final WebSocketSession session;
        private final jakarta.websocket.Session container;

        SessionSocket(WebSocketSession session) {
            this.session = session;
            this.container = nativeSession(session);
        }

        @Override
        public void send(byte[] frames, boolean binary, Consumer<Throwable> done) {
            if (container != null) {
                jakarta.websocket.SendHandler handler = result -> done.accept(result.isOK() ? null : result.getException());
                if (binary) {
                    container.getAsyncRemote().sendBinary(ByteBuffer.wrap(frames), handler);
                } else {
                    container.getAsyncRemote().sendText(new String(frames, StandardCharsets.UTF_8), handler);
                }
                return;
            }
            fallbackSender.execute(() -> {
                try {
                    session.sendMessage(binary ? new BinaryMessage(frames) : new TextMessage(frames));
                    done.accept(null);
                } catch (IOException | RuntimeException e) {
                    done.accept(e);
                }
            });
        }

        @Override
        public void close() {
            try {
                session.close(CloseStatus.NORMAL);
            } catch (IOException e) {
                log.debug("closing hub WebSocket {}: {}", session.getId(), e.toString());
            }
        }
    }

    private static jakarta.websocket.Session nativeSession(WebSocketSession session) {
        try {
            return session instanceof NativeWebSocketSession n
                    ? n.getNativeSession(jakarta.websocket.Session.class) : null;
        } catch (NoClassDefFoundError notJakarta) {
            return null;
        }
    }
}
