package io.spaghetti.sdk.core.resilience;

import java.time.Duration;

/** A remote call that did not answer within its policy's timeout; the caller was released at the deadline. */
public final class RemoteTimeoutException extends RuntimeException {
    private final String dependency;
    private final Duration timeout;

    public RemoteTimeoutException(String dependency, Duration timeout) {
        super(dependency + " did not answer within " + timeout + " (resilience.dependencies." + dependency
                + ".timeout, default resilience.defaults.timeout): it may be overloaded, paused or unreachable");
        this.dependency = dependency;
        this.timeout = timeout;
    }

    public String dependency() {
        return dependency;
    }

    public Duration timeout() {
        return timeout;
    }
}
