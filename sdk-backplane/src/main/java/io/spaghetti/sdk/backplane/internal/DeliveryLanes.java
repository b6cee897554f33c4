package io.spaghetti.sdk.backplane.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that hand frames to connection sinks.
 *
 * <p>Each connection's {@link Outbox} belongs to one of a few lanes; a lane is one thread that drains its
 * ready outboxes in turn, parking when there are none. Redis's listener threads only enqueue, so they
 * never wait for a sink, and a busy lane takes new work without any thread hand-off.
 *
 * <p>A sink that blocks would hold its lane, so a watchdog checks every lane each {@code stallTimeout / 2}:
 * when one sink call has run longer than {@code stallTimeout}, the lane gets a new thread and the stalled
 * one exits once its call returns; sooner when another connection of the lane fills its outbox while one
 * call has lasted over {@link #HELD_NANOS}. The other connections of that lane wait at most about
 * {@code stallTimeout}; the stalled connection's frames pile up until its outbox overflows and it is
 * closed as a slow consumer. Threads: one per lane, plus one per sink that is blocked right now.
 */
public final class DeliveryLanes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryLanes.class);

    final class Lane {
        private final Queue<Outbox> ready = new ConcurrentLinkedQueue<>();
        private final int index;
        private volatile Thread thread;
        private volatile boolean idle;
        /** System.nanoTime when the current sink call began; 0 outside sink calls. */
        private volatile long callStartedAt;
        /** The outbox whose sink is being called. */
        private volatile Outbox current;

        Lane(int index) {
            this.index = index;
        }

        /** Queues an outbox that has frames and no drain pending. */
        void submit(Outbox outbox) {
            ready.add(outbox);
            if (idle) {
                LockSupport.unpark(thread);
            }
        }

        void beginCall(Outbox outbox) {
            current = outbox;
            callStartedAt = System.nanoTime();
        }

        /** Ends a sink call; false when this thread was replaced meanwhile and must stop. */
        boolean endCall() {
            callStartedAt = 0;
            current = null;
            return thread == Thread.currentThread();
        }

        /**
         * Whether another connection's sink has held this lane for longer than a healthy call takes: then a full
         * outbox is waiting behind it, not slow itself, and the lane moves on at once ({@link #replaceIfStalled}).
         */
        boolean heldByAnotherSince(Outbox waiting, long nanos) {
            long started = callStartedAt;
            Outbox holder = current;
            return started != 0 && holder != null && holder != waiting && System.nanoTime() - started > nanos;
        }

        /** Gives the lane a new thread if its current call has lasted more than {@code nanos}. */
        synchronized void replaceIfStalled(long nanos) {
            long started = callStartedAt;
            if (closed || started == 0 || System.nanoTime() - started <= nanos) {
                return;
            }
            log.warn("A connection sink has blocked backplane delivery lane {} for {} ms: the lane continues on a new "
                    + "thread; that connection is closed when its buffer fills", index,
                    (System.nanoTime() - started) / 1_000_000);
            callStartedAt = 0;
            current = null;
            start();
        }

        private void run() {
            Thread me = Thread.currentThread();
            while (!closed && thread == me) {
                Outbox next = ready.poll();
                if (next != null) {
                    next.drain(this);
                    continue;
                }
                idle = true;
                if (ready.isEmpty() && !closed && thread == me) {
                    LockSupport.parkNanos(this, PARK_NANOS);
                }
                idle = false;
            }
        }

        private void start() {
            Thread t = threads.newThread(this::run);
            thread = t;
            t.start();
        }
    }

    /** A sink call longer than this is not a healthy one (they take microseconds). */
    static final long HELD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** A parked lane rechecks its queue at least this often, whatever wake-ups were missed. */
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final List<Lane> lanes = new ArrayList<>();
    private final AtomicInteger nextLane = new AtomicInteger();
    private final ThreadFactory threads;
    private final ExecutorService notifications;
    private final Duration stallTimeout;
    private final ScheduledFuture<?> watchdog;
    private volatile boolean closed;

    public DeliveryLanes(int lanes, Duration stallTimeout, ThreadFactory threads, ScheduledExecutorService scheduler) {
        this.threads = threads;
        this.stallTimeout = stallTimeout;
        this.notifications = Executors.newCachedThreadPool(threads);
        for (int i = 0; i < lanes; i++) {
            Lane lane = new Lane(i);
            this.lanes.add(lane);
            lane.start();
        }
        long every = Math.max(1, stallTimeout.toMillis() / 2);
        watchdog = scheduler.scheduleWithFixedDelay(this::replaceStalledThreads, every, every, TimeUnit.MILLISECONDS);
    }

    /** The lane of a new connection: round robin. */
    Lane assign() {
        return lanes.get(Math.floorMod(nextLane.getAndIncrement(), lanes.size()));
    }

    /** Runs a rare notification (a sink's closed callback) off the lanes. */
    void notify(Runnable task) {
        if (closed) {
            task.run();
            return;
        }
        notifications.execute(task);
    }

    private void replaceStalledThreads() {
        for (Lane lane : lanes) {
            lane.replaceIfStalled(stallTimeout.toNanos());
        }
    }

    @Override
    public void close() {
        closed = true;
        watchdog.cancel(false);
        lanes.forEach(l -> LockSupport.unpark(l.thread));
        notifications.shutdown();
    }
}
