package io.spaghetti.sdk.signalr.internal.connection;

import java.util.Locale;

/** Why a connection ended: the {@code reason} tag of {@code signalr.disconnects}. */
public enum DisconnectReason {
    /** The client stopped (a close frame, a Close message, a DELETE). */
    CLIENT_CLOSED,
    /** The transport broke and the client did not come back (or could not: no stateful reconnect). */
    TRANSPORT_LOST,
    /** Nothing came from the client within {@code clientTimeout}, or no handshake within {@code handshakeTimeout}. */
    TIMEOUT,
    /** Its send buffer overflowed. */
    SLOW_CONSUMER,
    /** It sent a malformed or oversized message, or a bad handshake. */
    PROTOCOL_ERROR,
    /** The server shut down or the hub closed it. */
    SERVER_CLOSED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
