package io.spaghetti.sdk.signalr;

/** What the server hosting a {@link ClientSocket} tells the hub about it. */
public interface HubSocket {
    /** One WebSocket message from the client (a text message as its UTF-8 bytes). */
    void received(byte[] data);

    /**
     * The WebSocket ended. {@code lost}: it broke with no close frame (status 1006), so a client with stateful
     * reconnect may come back within {@code signalr.reconnectWindow}; otherwise the connection ends.
     */
    void closed(boolean lost);
}
