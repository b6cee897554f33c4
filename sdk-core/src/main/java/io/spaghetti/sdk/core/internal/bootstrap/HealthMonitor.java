package io.spaghetti.sdk.core.internal.bootstrap;

import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.HealthReport;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.config.HealthConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every module's health on a schedule and keeps the last report, which is what readers
 * get. Checks run in parallel on their own threads with one deadline: a check that misses it reports
 * DOWN, and while it still runs (a dependency that stopped answering) it is not started again, so a
 * hung dependency holds one thread, never a reader. Each change of a module's status is logged once.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private record Checked(Health health, Duration latency) {
    }

    private final List<ModuleRunner> runners;
    private final HealthConfig config;
    private final ExecutorService checks = Executors.newCachedThreadPool(new SdkThreads("health-check"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(new SdkThreads("health"));
    private final Map<ModuleRunner, CompletableFuture<Checked>> running = new ConcurrentHashMap<>();
    private final Map<String, HealthStatus> reported = new ConcurrentHashMap<>();
    private volatile HealthReport last;

    public HealthMonitor(List<ModuleRunner> runners, HealthConfig config) {
        this.runners = List.copyOf(runners);
        this.config = config;
    }

    /** Checks once now, then every {@code health.interval}. */
    public void start() {
        check();
        long every = config.interval().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                log.warn("Health evaluation failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** The last report (checked now if there is none yet). */
    public HealthReport last() {
        HealthReport r = last;
        return r != null ? r : check();
    }

    /** Checks every module now, each within {@code health.timeout}, and keeps the result. */
    public HealthReport check() {
        Map<ModuleRunner, CompletableFuture<Checked>> started = new LinkedHashMap<>();
        for (ModuleRunner r : runners) {
            started.put(r, running.compute(r, (k, previous) -> previous != null && !previous.isDone() ? previous
                    : checks.isShutdown() ? CompletableFuture.completedFuture(timed(k)) // closed: answers at once
                    : CompletableFuture.supplyAsync(() -> timed(k), checks)));
        }
        long deadline = System.nanoTime() + config.timeout().toNanos();
        List<HealthReport.ModuleHealth> modules = new ArrayList<>();
        HealthStatus overall = HealthStatus.UP;
        for (Map.Entry<ModuleRunner, CompletableFuture<Checked>> e : started.entrySet()) {
            ModuleRunner r = e.getKey();
            Checked c = await(e.getValue(), deadline);
            HealthStatus status = c.health().status();
            modules.add(new HealthReport.ModuleHealth(r.module().name(), status, c.health().reason(), r.required(),
                    c.latency(), c.health().details()));
            overall = overall.worst(status == HealthStatus.DOWN && !r.required() ? HealthStatus.DEGRADED : status);
            logChange(r.module().name(), c.health());
        }
        HealthReport report = new HealthReport(overall, modules);
        last = report;
        return report;
    }

    /** For the {@code spaghetti.sdk.module.status} gauge, from the last report: 1 up, 0.5 degraded, 0 down, -1 disabled. */
    public double statusValue(String module) {
        HealthReport r = last;
        if (r == null) {
            return 0.0;
        }
        return switch (r.module(module).status()) {
            case UP -> 1.0;
            case DEGRADED -> 0.5;
            case DOWN -> 0.0;
            case DISABLED -> -1.0;
        };
    }

    private Checked await(CompletableFuture<Checked> check, long deadline) {
        try {
            return check.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return new Checked(Health.down("health check did not answer within " + config.timeout()
                    + " (health.timeout): its dependency may be hung or unreachable"), config.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Checked(Health.down("health check interrupted"), Duration.ZERO);
        } catch (ExecutionException e) {
            return new Checked(Health.down("health check failed: " + e.getCause()), Duration.ZERO);
        }
    }

    private static Checked timed(ModuleRunner r) {
        long t0 = System.nanoTime();
        Health h = r.health();
        return new Checked(h, Duration.ofNanos(System.nanoTime() - t0));
    }

    private void logChange(String module, Health h) {
        HealthStatus before = reported.put(module, h.status());
        if (before == null || before == h.status()) {
            return;
        }
        if (h.status() == HealthStatus.UP) {
            log.info("Module {} is UP again (was {})", module, before);
        } else {
            log.warn("Module {} is {} (was {}): {}", module, h.status(), before, h.reason());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        checks.shutdownNow();
    }
}
