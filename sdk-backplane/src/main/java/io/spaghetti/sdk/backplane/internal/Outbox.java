package io.spaghetti.sdk.backplane.internal;

import io.spaghetti.sdk.backplane.ConnectionSink;
import io.spaghetti.sdk.backplane.HubFrame;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One connection's frames on their way to its sink. Redis listener threads only enqueue; at most one
 * drain task per connection runs on the delivery executor, so frames keep their order and a sink that
 * blocks holds up nobody but its own connection. A connection whose queue reaches {@code capacity}
 * is a slow consumer: {@code onOverflow} closes it, and what it had queued is dropped.
 */
final class Outbox implements Runnable {
    /** Frames one drain run delivers before it yields its thread to other connections. */
    private static final int BATCH = 256;

    private final Queue<HubFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final int capacity;
    private final Executor executor;
    private final ConnectionSink sink;
    private final Runnable onOverflow;
    private final Consumer<Exception> onSinkFailure;
    private volatile boolean closed;

    Outbox(int capacity, Executor executor, ConnectionSink sink, Runnable onOverflow,
            Consumer<Exception> onSinkFailure) {
        this.capacity = capacity;
        this.executor = executor;
        this.sink = sink;
        this.onOverflow = onOverflow;
        this.onSinkFailure = onSinkFailure;
    }

    /** Queues a frame; false when the connection is closed or has just been found too slow. */
    boolean offer(HubFrame frame) {
        if (closed) {
            return false;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            onOverflow.run();
            return false;
        }
        queue.add(frame);
        schedule();
        return true;
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException shutDown) {
                closed = true;
            }
        }
    }

    @Override
    public void run() {
        HubFrame frame;
        int budget = BATCH;
        while (budget-- > 0 && !closed && (frame = queue.poll()) != null) {
            size.decrementAndGet();
            try {
                sink.deliver(frame);
            } catch (Exception e) {
                onSinkFailure.accept(e);
            }
        }
        scheduled.set(false);
        if (!closed && !queue.isEmpty()) {
            schedule();
        }
    }

    /** Stops delivery and drops what is queued; {@code reason} reaches the sink on the delivery executor. */
    void close(String reason) {
        closed = true;
        queue.clear();
        try {
            executor.execute(() -> sink.closed(reason));
        } catch (RejectedExecutionException shutDown) {
            sink.closed(reason);
        }
    }
}
