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
 * The threads that hand messages to connection sinks, off Redis's listener threads.
 *
 * <p>Every connection belongs to one of a few lanes. A received message becomes one batch per lane that
 * has recipients for it; a lane is one thread that runs its batches in order, calling each recipient in
 * turn. So every connection gets its messages in order, a listener thread only partitions and enqueues,
 * and a busy lane takes new batches without any thread hand-off.
 *
 * <p>A sink that blocks would hold its lane. When one call has lasted {@code stallTimeout} and the watchdog
 * (every half of it) saw that same call on its previous check too, that recipient is told it is stuck (the hub closes it as a slow consumer) and the lane
 * continues the same batch on a new thread; the stalled thread exits once its call returns. Other
 * connections wait at most about that long. A lane whose backlog passes {@link #OVERLOAD_FACTOR} times
 * {@code backlogLimit} is overloaded: new batches for it are dropped and counted. Threads: one per lane, plus one
 * per sink that is blocked right now.
 */
public final class DeliveryLanes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryLanes.class);
    /** Backlog, in multiples of the limit, past which a lane that is merely busy drops new batches. */
    static final int OVERLOAD_FACTOR = 64;
    /** A parked lane rechecks its queue at least this often, whatever wake-ups were missed. */
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** A connection as the lanes see it. */
    interface Recipient {
        void receive(Object message) throws Exception;

        boolean isClosed();

        /** Its sink has held a lane too long: close it as a slow consumer. Called off the lanes. */
        void stuck();

        /** Its sink threw. */
        void failed(Exception e);
    }

    /** One message for some recipients of one lane. */
    private static final class Batch {
        final Object message;
        final Recipient[] recipients;
        final AtomicInteger cursor = new AtomicInteger();

        Batch(Object message, Recipient[] recipients) {
            this.message = message;
            this.recipients = recipients;
        }
    }

    final class Lane {
        private final Queue<Batch> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger backlog = new AtomicInteger();
        private final int index;
        private volatile Thread thread;
        private volatile boolean idle;
        /** The batch being run; a replacement thread resumes it. */
        private volatile Batch current;
        private volatile Recipient calling;
        /** System.nanoTime when the current call began; 0 outside calls. */
        private volatile long callStartedAt;
        /** Counts calls, so the watchdog knows it saw the same call twice. */
        private volatile long calls;
        /** The call the watchdog saw in progress last time (read and written by the watchdog only). */
        private long seenCall = -1;

        Lane(int index) {
            this.index = index;
        }

        int index() {
            return index;
        }

        void submit(Object message, Recipient[] recipients, Runnable onDropped) {
            if (backlog.incrementAndGet() > OVERLOAD_FACTOR * backlogLimit) {
                backlog.decrementAndGet();
                onDropped.run();
                return;
            }
            queue.add(new Batch(message, recipients));
            if (idle) {
                LockSupport.unpark(thread);
            }
        }

        private void run() {
            Thread me = Thread.currentThread();
            while (!closed && thread == me) {
                Batch b = current;
                if (b == null) {
                    b = queue.poll();
                    if (b == null) {
                        park(me);
                        continue;
                    }
                    current = b;
                }
                if (!runBatch(b, me)) {
                    return;   // replaced while a sink held this thread: the new one resumes the batch
                }
                current = null;
                backlog.decrementAndGet();
            }
        }

        private boolean runBatch(Batch b, Thread me) {
            int i;
            while ((i = b.cursor.getAndIncrement()) < b.recipients.length) {
                Recipient r = b.recipients[i];
                if (r.isClosed()) {
                    continue;
                }
                calling = r;
                calls++;
                callStartedAt = System.nanoTime();
                try {
                    r.receive(b.message);
                } catch (Exception e) {
                    r.failed(e);
                }
                if (thread != me) {
                    return false;
                }
                callStartedAt = 0;
                calling = null;
            }
            return true;
        }

        private void park(Thread me) {
            idle = true;
            if (queue.isEmpty() && !closed && thread == me) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            idle = false;
        }

        /**
         * Moves the lane to a new thread if one call has lasted more than {@code nanos} and was already in progress
         * at the previous check: a single pause of the whole JVM (a GC) makes a call look long once, never twice.
         */
        synchronized void replaceIfStalled(long nanos) {
            long started = callStartedAt;
            Recipient stuck = calling;
            long call = calls;
            boolean seenBefore = call == seenCall;
            seenCall = started == 0 ? -1 : call;
            if (closed || started == 0 || stuck == null || !seenBefore || System.nanoTime() - started <= nanos) {
                return;
            }
            log.warn("A connection sink has held backplane delivery lane {} for {} ms: closing that connection as a "
                    + "slow consumer; the lane continues on a new thread", index, (System.nanoTime() - started) / 1_000_000);
            callStartedAt = 0;
            calling = null;
            start();
            notifications.execute(stuck::stuck);
        }

        private void start() {
            Thread t = threads.newThread(this::run);
            thread = t;
            t.start();
        }
    }

    private final List<Lane> lanes = new ArrayList<>();
    private final AtomicInteger nextLane = new AtomicInteger();
    private final ThreadFactory threads;
    private final ExecutorService notifications;
    private final Duration stallTimeout;
    private final int backlogLimit;
    private final ScheduledFuture<?> watchdog;
    private volatile boolean closed;

    /**
     * @param backlogLimit {@code backplane.connectionBuffer}: a lane drops new batches past 64 times this
     */
    public DeliveryLanes(int lanes, Duration stallTimeout, int backlogLimit, ThreadFactory threads,
            ScheduledExecutorService scheduler) {
        this.threads = threads;
        this.stallTimeout = stallTimeout;
        this.backlogLimit = backlogLimit;
        this.notifications = Executors.newCachedThreadPool(threads);
        for (int i = 0; i < lanes; i++) {
            Lane lane = new Lane(i);
            this.lanes.add(lane);
            lane.start();
        }
        long every = Math.max(1, stallTimeout.toMillis() / 2);
        watchdog = scheduler.scheduleWithFixedDelay(() -> this.lanes.forEach(l -> l.replaceIfStalled(
                this.stallTimeout.toNanos())), every, every, TimeUnit.MILLISECONDS);
    }

    int laneCount() {
        return lanes.size();
    }

    /** The lane of a new connection: round robin. */
    Lane assign() {
        return lanes.get(Math.floorMod(nextLane.getAndIncrement(), lanes.size()));
    }

    Lane lane(int index) {
        return lanes.get(index);
    }

    @Override
    public void close() {
        closed = true;
        watchdog.cancel(false);
        lanes.forEach(l -> LockSupport.unpark(l.thread));
        notifications.shutdown();
    }
}
