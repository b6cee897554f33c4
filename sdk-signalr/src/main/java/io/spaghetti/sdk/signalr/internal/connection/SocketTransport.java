package io.spaghetti.sdk.signalr.internal.connection;

import io.spaghetti.sdk.signalr.ClientSocket;
import java.util.function.Consumer;

/** A WebSocket another server hosts, as a connection's transport. */
public final class SocketTransport implements Transport {
    private final ClientSocket socket;

    public SocketTransport(ClientSocket socket) {
        this.socket = socket;
    }

    @Override
    public String name() {
        return "WebSockets";
    }

    @Override
    public void send(byte[] payload, boolean binary, Consumer<Throwable> done) {
        socket.send(payload, binary, done);
    }

    @Override
    public void close() {
        socket.close();
    }
}
