package io.spaghetti.sdk.backplane.internal;

import io.spaghetti.sdk.backplane.ConnectionSink;
import io.spaghetti.sdk.backplane.HubFrame;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One connection's frames on their way to its sink: a bounded queue drained by its {@link DeliveryLanes}
 * lane, one drain at a time, so frames keep their order. A connection whose queue passes {@code capacity}
 * while its own sink call is taking long (or that passes four times it in any case) is a slow consumer:
 * {@code onOverflow} closes it, and what it had queued is dropped.
 */
final class Outbox {
    /** Frames one drain delivers before the lane moves on to its other connections. */
    private static final int BATCH = 64;

    private final Queue<HubFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final int capacity;
    private final DeliveryLanes lanes;
    private final DeliveryLanes.Lane lane;
    private final ConnectionSink sink;
    private final Runnable onOverflow;
    private final Consumer<Exception> onSinkFailure;
    private volatile boolean closed;
    /** System.nanoTime when this connection's current sink call began; 0 outside calls. */
    private volatile long callStartedAt;

    Outbox(int capacity, DeliveryLanes lanes, ConnectionSink sink, Runnable onOverflow,
            Consumer<Exception> onSinkFailure) {
        this.capacity = capacity;
        this.lanes = lanes;
        this.lane = lanes.assign();
        this.sink = sink;
        this.onOverflow = onOverflow;
        this.onSinkFailure = onSinkFailure;
    }

    /** Queues a frame; false when the connection is closed or has just been found too slow. */
    boolean offer(HubFrame frame) {
        if (closed) {
            return false;
        }
        int queued = size.incrementAndGet();
        if (queued > capacity && (ownSinkIsStuck() || queued > 4 * capacity)) {
            size.decrementAndGet();
            onOverflow.run();
            return false;
        }
        if (queued > capacity && lane.heldByAnotherSince(this, DeliveryLanes.HELD_NANOS)) {
            // Full behind another connection's blocked sink: this one is not the slow one; the lane moves on.
            lane.replaceIfStalled(DeliveryLanes.HELD_NANOS);
        }
        queue.add(frame);
        schedule();
        return true;
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            lane.submit(this);
        }
    }

    /**
     * Slow is this connection's own sink taking long (the client stopped reading), not a backlog behind other
     * connections of the lane: that one is bounded at four buffers.
     */
    private boolean ownSinkIsStuck() {
        long started = callStartedAt;
        return started != 0 && System.nanoTime() - started > DeliveryLanes.HELD_NANOS;
    }

    /** Called by the lane's thread. */
    void drain(DeliveryLanes.Lane current) {
        HubFrame frame;
        int budget = BATCH;
        boolean stillOwner = true;
        while (stillOwner && budget-- > 0 && !closed && (frame = queue.poll()) != null) {
            size.decrementAndGet();
            current.beginCall(this);
            callStartedAt = System.nanoTime();
            try {
                sink.deliver(frame);
            } catch (Exception e) {
                onSinkFailure.accept(e);
            }
            callStartedAt = 0;
            stillOwner = current.endCall();
        }
        scheduled.set(false);
        if (!closed && !queue.isEmpty()) {
            schedule();
        }
    }

    /** Stops delivery and drops what is queued; {@code reason} reaches the sink off the lanes. */
    void close(String reason) {
        closed = true;
        queue.clear();
        lanes.notify(() -> sink.closed(reason));
    }
}
