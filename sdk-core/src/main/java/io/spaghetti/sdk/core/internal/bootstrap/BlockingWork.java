package io.spaghetti.sdk.core.internal.bootstrap;

import io.micrometer.context.ContextExecutorService;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's execution model in one place: the scheduler only keeps time, and what blocks (a module start, a
 * snapshot, a key refresh, a probe that waits for Redis) runs here, on a bounded pool, so a hung remote call can
 * delay neither the timers (ack timeouts, heartbeats) nor the other modules' jobs.
 */
public final class BlockingWork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BlockingWork.class);
    static final int THREADS = 8;
    static final int QUEUE = 256;

    private final ScheduledExecutorService scheduler;
    private final ExecutorService pool;

    public BlockingWork(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        ThreadPoolExecutor p = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(QUEUE), new SdkThreads("blocking"));
        p.allowCoreThreadTimeOut(true);
        // a task carries the observation (trace, log ids) of whoever submitted it, as on the scheduler
        this.pool = ContextExecutorService.wrap(p);
    }

    /** The bounded pool: a full queue refuses with {@link RejectedExecutionException}. */
    public ExecutorService executor() {
        return pool;
    }

    /**
     * Runs {@code task} on the pool every {@code every}, timed by the scheduler; a tick that finds the previous run
     * still going is skipped (never two at once), and a failed run is logged in one line naming {@code job}.
     */
    public ScheduledFuture<?> every(String job, Duration every, Runnable task) {
        AtomicBoolean running = new AtomicBoolean();
        long ms = every.toMillis();
        return scheduler.scheduleWithFixedDelay(() -> {
            if (!running.compareAndSet(false, true)) {
                log.debug("{}: the previous run is still going; this one is skipped", job);
                return;
            }
            try {
                pool.execute(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.warn("{} failed: {}", job, e.getMessage());
                    } finally {
                        running.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                running.set(false);
                log.warn("{} skipped: the SDK's blocking pool is full ({} threads, {} queued) or closed", job,
                        THREADS, QUEUE);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Interrupts what still runs (the modules are closed by now) and waits up to 5 s for the threads to end. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("The SDK's blocking pool did not stop within 5 s: a task ignores interruption");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
