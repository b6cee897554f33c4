package io.spaghetti.sdk.signalr;

/** A hub request refused before it reached a hub: answer it with {@link #status()} and the message. */
public final class HubRequestException extends Exception {
    private final int status;

    public HubRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status to answer with (401, 404, 409, 503). */
    public int status() {
        return status;
    }
}
