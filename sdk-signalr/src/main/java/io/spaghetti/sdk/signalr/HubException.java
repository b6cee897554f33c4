package io.spaghetti.sdk.signalr;

/**
 * Thrown by a hub method to fail the invocation with a message the client sees, as
 * {@code HubException} does in ASP.NET Core. Write it for the client: it must hold no secret.
 */
public class HubException extends RuntimeException {
    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
