package io.spaghetti.sdk.core.internal.bootstrap;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.micrometer.observation.Observation;
import io.github.resilience4j.retry.RetryConfig;
import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.ModuleSection;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one module, retries an optional one in the background, and reports its state. */
public final class ModuleRunner {
    private static final Logger log = LoggerFactory.getLogger(ModuleRunner.class);

    private enum State { NEW, UP, RETRYING, DISABLED, CLOSED }

    private final SdkModule module;
    private final boolean enabled;
    private final boolean required;
    private volatile State state = State.NEW;
    private volatile String failure;

    public ModuleRunner(SdkModule module, Object section) {
        this.module = module;
        ModuleSection s = section instanceof ModuleSection ms ? ms : null;
        this.enabled = s == null || s.enabled();
        this.required = s != null && s.required();
    }

    public SdkModule module() {
        return module;
    }

    public boolean required() {
        return required;
    }

    /**
     * Starts the module. A required module's failure is thrown; an optional one's is logged once,
     * then retried with exponential back-off until it starts or the SDK closes.
     */
    public void start(ModuleContext context, Duration firstRetry, Duration maxRetry) throws Exception {
        if (!enabled) {
            state = State.DISABLED;
            return;
        }
        try {
            module.start(context);
            state = State.UP;
        } catch (Exception e) {
            releaseAfterFailedStart();
            if (required) {
                throw e;
            }
            failure = describe(e);
            state = State.RETRYING;
            log.warn("Module {} did not start ({}); it is DEGRADED and will retry in the background", module.name(),
                    failure);
            retryInBackground(context, firstRetry, maxRetry);
        }
    }

    /** The scheduler times the attempts; each runs on the blocking pool (a start waits on remote services). */
    private void retryInBackground(ModuleContext context, Duration first, Duration max) {
        Retry retry = Retry.of("module-start-" + module.name(), RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(first, 2.0, max))
                .retryOnException(t -> !(t instanceof CancellationException))
                .build());
        Retry.decorateCompletionStage(retry, context.scheduler(), () -> CompletableFuture
                        .supplyAsync(() -> attemptStart(context), context.blockingExecutor())
                        .thenCompose(attempt -> attempt)).get()
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        log.info("Module {} started after retrying; it is UP", module.name());
                    }
                });
    }

    /** A background start attempt is a span of its own: its log lines (and its remote calls) carry its trace. */
    private CompletionStage<Void> attemptStart(ModuleContext context) {
        if (state == State.CLOSED) {
            return CompletableFuture.failedFuture(new CancellationException("SDK closed"));
        }
        Observation attempt = Observation.createNotStarted("spaghetti.module.start", context.observationRegistry())
                .contextualName("module start " + module.name()).lowCardinalityKeyValue("module", module.name())
                .start();
        try (Observation.Scope ignored = attempt.openScope()) {
            CompletionStage<Void> outcome = tryStart(context);
            outcome.whenComplete((ok, error) -> {
                if (error != null) {
                    attempt.error(error);
                }
            });
            return outcome;
        } finally {
            attempt.stop();
        }
    }

    private CompletionStage<Void> tryStart(ModuleContext context) {
        try {
            module.start(context);
            synchronized (this) {
                if (state == State.CLOSED) {
                    module.close();
                    return CompletableFuture.failedFuture(new CancellationException("SDK closed"));
                }
                failure = null;
                state = State.UP;
            }
            return CompletableFuture.completedFuture(null);
        } catch (Exception e) {
            releaseAfterFailedStart();
            failure = describe(e);
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Closes a module whose start threw, so whatever it created before failing (clients, threads, jobs) is
     * released before the next attempt: the background retry must not turn one partial start into a leak.
     */
    private void releaseAfterFailedStart() {
        try {
            module.close();
        } catch (RuntimeException e) {
            log.debug("Module {} did not close cleanly after a failed start: {}", module.name(), describe(e));
        }
    }

    public Health health() {
        return switch (state) {
            case DISABLED -> Health.disabled();
            case RETRYING -> new Health(required ? HealthStatus.DOWN : HealthStatus.DEGRADED,
                    "not started: " + failure + "; retrying in the background", java.util.Map.of());
            case NEW -> Health.down("not started");
            case CLOSED -> Health.down("closed");
            case UP -> checked();
        };
    }

    private Health checked() {
        try {
            return module.health();
        } catch (RuntimeException e) {
            return Health.down("health check failed: " + describe(e));
        }
    }

    public boolean started() {
        return state == State.UP;
    }

    public synchronized void close() {
        State previous = state;
        state = State.CLOSED;
        if (previous == State.UP || previous == State.RETRYING) {
            try {
                module.close();
            } catch (RuntimeException e) {
                log.warn("Module {} did not close cleanly: {}", module.name(), describe(e));
            }
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
