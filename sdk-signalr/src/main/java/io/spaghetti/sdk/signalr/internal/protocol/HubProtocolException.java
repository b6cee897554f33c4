package io.spaghetti.sdk.signalr.internal.protocol;

/** A frame that breaks the hub protocol: the connection that sent it is closed with this message. */
public final class HubProtocolException extends RuntimeException {
    public HubProtocolException(String message) {
        super(message);
    }

    public HubProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
