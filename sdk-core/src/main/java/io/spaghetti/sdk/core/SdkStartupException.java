package io.spaghetti.sdk.core;

/** A required module could not start, or the modules cannot be ordered. */
public final class SdkStartupException extends RuntimeException {
    public SdkStartupException(String message, Throwable cause) {
        super(message, cause);
    }

    public SdkStartupException(String message) {
        super(message);
    }
}
