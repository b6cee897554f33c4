package io.spaghetti.sdk.signalr.internal.connection;

import java.util.function.Consumer;

/** How one client connection's bytes leave the server: a WebSocket, an event stream or long polls. */
public interface Transport {
    /** As negotiate names it: {@code WebSockets}, {@code ServerSentEvents} or {@code LongPolling}. */
    String name();

    /**
     * Sends whole hub frames (several may be concatenated). Never called again before {@code done} ran;
     * {@code done} gets null when written, or the failure.
     */
    void send(byte[] payload, boolean binary, Consumer<Throwable> done);

    /** Ends the transport after what was sent; the client sees its connection closed. */
    void close();
}
