package io.spaghetti.sdk.backplane;

/**
 * Delivers frames to one client connection held by this service. Called on the backplane's delivery
 * threads, one frame at a time per connection and in order; never on Redis's listener threads. Return
 * quickly: a call that lasts {@code backplane.sinkStallTimeout} makes the connection a slow consumer,
 * which the backplane closes (calling {@link #closed}) while the other connections continue on another
 * thread. An exception counts the frame as
 * undelivered; it does not unregister the connection.
 */
@FunctionalInterface
public interface ConnectionSink {
    void deliver(HubFrame frame) throws Exception;

    /**
     * The backplane closed this connection (e.g. {@code "slow consumer"}); close the client's transport.
     * Not called for {@link LocalConnection#close()}, which the transport calls itself.
     */
    default void closed(String reason) {
    }
}
