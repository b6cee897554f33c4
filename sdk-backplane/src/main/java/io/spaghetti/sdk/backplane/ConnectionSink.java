package io.spaghetti.sdk.backplane;

/**
 * Delivers frames to one client connection held by this service. Called on the backplane's delivery
 * threads, one frame at a time per connection and in order; never on Redis's listener threads (unless the sink
 * is {@link #nonBlocking()}). Return quickly: a call that lasts {@code backplane.sinkStallTimeout} makes the
 * connection a slow consumer, which the backplane closes (calling {@link #closed}) while the other connections
 * continue on another thread. An exception counts the frame as undelivered; it does not unregister the connection.
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

    /**
     * True for a sink that never blocks: it only hands the frame on (to a bounded queue, an asynchronous socket
     * write) and deals with a client that does not keep up itself. The backplane then calls it on the thread that
     * received the message, in order, without the hand-off to a delivery thread (and without the stall watchdog,
     * which a sink that blocks while saying it does not would defeat). Default false.
     */
    default boolean nonBlocking() {
        return false;
    }

    /** {@code sink}, declared {@link #nonBlocking()}: for sinks that only enqueue or write asynchronously. */
    static ConnectionSink nonBlocking(ConnectionSink sink) {
        return new ConnectionSink() {
            @Override
            public void deliver(HubFrame frame) throws Exception {
                sink.deliver(frame);
            }

            @Override
            public void closed(String reason) {
                sink.closed(reason);
            }

            @Override
            public boolean nonBlocking() {
                return true;
            }
        };
    }
}
