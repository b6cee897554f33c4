package io.spaghetti.sdk.flags.internal;

import io.getunleash.util.UnleashScheduledExecutor;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The Unleash client's scheduler on SDK threads. It remembers the client's usage-metrics task so
 * that {@link #flushMetrics()} can send the last interval on close, which the client's own
 * {@code shutdown()} drops.
 */
public final class FlushingScheduler implements UnleashScheduledExecutor {
    private final ScheduledExecutorService pool;
    // One-off tasks (an event per evaluation) go to a plain queue, as in the client's own executor:
    // a scheduled pool's delay queue costs several microseconds per evaluation.
    private final ExecutorService events;
    private final List<Runnable> metricTasks = new CopyOnWriteArrayList<>();
    private final List<ScheduledFuture<?>> scheduled = new CopyOnWriteArrayList<>();

    public FlushingScheduler(ThreadFactory threads) {
        ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(1, threads);
        p.setRemoveOnCancelPolicy(true);
        this.pool = p;
        this.events = Executors.newSingleThreadExecutor(threads);
    }

    @Override
    public void setInterval(Runnable task, long initialDelaySeconds, long periodSeconds) {
        // The client's metrics task is a lambda of its metric service: recognised by its class name.
        if (task.getClass().getName().contains("MetricService")) {
            metricTasks.add(task);
        }
        scheduled.add(pool.scheduleAtFixedRate(task, initialDelaySeconds, periodSeconds, TimeUnit.SECONDS));
    }

    @Override
    public Future<Void> scheduleOnce(Runnable task) {
        return events.submit(task, null);
    }

    /** Sends the metrics collected since the last interval; returns how many metric tasks ran. */
    public int flushMetrics() {
        metricTasks.forEach(Runnable::run);
        return metricTasks.size();
    }

    @Override
    public void shutdown() {
        shutdownNow();
    }

    @Override
    public void shutdownNow() {
        scheduled.forEach(f -> f.cancel(false));
        pool.shutdownNow();
        events.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
            events.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
