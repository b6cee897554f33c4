package io.spaghetti.sdk.signalr.internal.jetty;

import io.spaghetti.sdk.signalr.internal.connection.DisconnectReason;
import io.spaghetti.sdk.signalr.internal.connection.HubConnection;
import io.spaghetti.sdk.signalr.internal.connection.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/** A Jetty WebSocket session as a connection's transport: one WebSocket message per hub message batch. */
public final class WebSocketTransport implements Transport, Session.Listener.AutoDemanding {
    private final HubConnection connection;
    private final long maxMessageSize;
    private volatile Session session;

    WebSocketTransport(HubConnection connection, long maxMessageSize) {
        this.connection = connection;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public String name() {
        return "WebSockets";
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        // a WebSocket message may batch several hub messages; each is checked against maxMessageSize when read,
        // so a client gets a Close message naming the limit. Jetty's own cap (close 1009) only stops floods.
        s.setMaxTextMessageSize(maxMessageSize * 4);
        s.setMaxBinaryMessageSize(maxMessageSize * 4);
        if (!connection.attach(this)) {
            s.close(StatusCode.POLICY_VIOLATION, "This connection cannot take another transport", Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketText(String message) {
        connection.receive(message.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] data = new byte[payload.remaining()];
        payload.get(data);
        callback.succeed();
        connection.receive(data);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        switch (statusCode) {
            // no close frame: the connection broke underneath, and a stateful client will come back
            case StatusCode.ABNORMAL -> connection.transportLost(this);
            case StatusCode.MESSAGE_TOO_LARGE, StatusCode.PROTOCOL, StatusCode.BAD_PAYLOAD, StatusCode.BAD_DATA ->
                    connection.transportEnded(this, DisconnectReason.PROTOCOL_ERROR);
            default -> connection.transportEnded(this, DisconnectReason.CLIENT_CLOSED);
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // Jetty follows every error with onWebSocketClose, whose status tells what it was
    }

    @Override
    public void send(byte[] payload, boolean binary, Consumer<Throwable> done) {
        // the frame goes out as the UTF-8 bytes it already is: the API's sendText(String) would decode and
        // re-encode every frame for every recipient
        ((WebSocketSession) session).getCoreSession().sendFrame(
                new Frame(binary ? OpCode.BINARY : OpCode.TEXT, ByteBuffer.wrap(payload)),
                org.eclipse.jetty.util.Callback.from(() -> done.accept(null), done), false);
    }

    @Override
    public void close() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(StatusCode.NORMAL, null, Callback.NOOP);
        }
    }
}
