package io.spaghetti.sdk.signalr;

import java.util.function.Consumer;

/**
 * A WebSocket that another server accepted for a hub (Spring's WebSocket support, a servlet container):
 * what the hub writes to. See {@link SignalRHubs#acceptWebSocket}.
 */
public interface ClientSocket {
    /**
     * Sends one WebSocket message holding whole hub frames: a binary message when {@code binary}, else text
     * (the bytes are UTF-8). Not called again before {@code done} ran; call it with null once written, or
     * with the failure.
     */
    void send(byte[] frames, boolean binary, Consumer<Throwable> done);

    /** Closes the WebSocket normally (after what was sent). */
    void close();
}
