package io.spaghetti.sdk.backplane;

/** A backplane operation failed: the message says what and, where it can, what to do. */
public class BackplaneException extends RuntimeException {
    public BackplaneException(String message) {
        super(message);
    }

    public BackplaneException(String message, Throwable cause) {
        super(message, cause);
    }
}
