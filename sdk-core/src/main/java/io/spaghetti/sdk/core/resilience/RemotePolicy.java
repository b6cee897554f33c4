package io.spaghetti.sdk.core.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The Resilience4j components guarding one remote dependency, applied in Resilience4j's
 * recommended order: retry, then circuit breaker, then time limiter, then bulkhead.
 */
public final class RemotePolicy {
    private final String dependency;
    private final CircuitBreaker circuitBreaker;
    private final Retry retry;
    private final TimeLimiter timeLimiter;
    private final Bulkhead bulkhead;
    private final ScheduledExecutorService scheduler;

    RemotePolicy(String dependency, CircuitBreaker circuitBreaker, Retry retry, TimeLimiter timeLimiter,
            Bulkhead bulkhead, ScheduledExecutorService scheduler) {
        this.dependency = dependency;
        this.circuitBreaker = circuitBreaker;
        this.retry = retry;
        this.timeLimiter = timeLimiter;
        this.bulkhead = bulkhead;
        this.scheduler = scheduler;
    }

    /**
     * Runs a blocking call. The time limit is the client library's own timeout here; only
     * {@link #callAsync} can enforce the policy's timeout.
     */
    public <T> T call(Supplier<T> call) {
        Supplier<T> s = Bulkhead.decorateSupplier(bulkhead, call);
        s = CircuitBreaker.decorateSupplier(circuitBreaker, s);
        return Retry.decorateSupplier(retry, s).get();
    }

    /** Runs a blocking call once, without retry: for hot paths where a fallback beats waiting. */
    public <T> T callOnce(Supplier<T> call) {
        return CircuitBreaker.decorateSupplier(circuitBreaker, Bulkhead.decorateSupplier(bulkhead, call)).get();
    }

    public <T> CompletionStage<T> callAsync(Supplier<CompletionStage<T>> call) {
        Supplier<CompletionStage<T>> s = Bulkhead.decorateCompletionStage(bulkhead, call);
        s = timeLimiter.decorateCompletionStage(scheduler, s);
        s = CircuitBreaker.decorateCompletionStage(circuitBreaker, s);
        return Retry.decorateCompletionStage(retry, scheduler, s).get();
    }

    public String dependency() {
        return dependency;
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    public Retry retry() {
        return retry;
    }

    public TimeLimiter timeLimiter() {
        return timeLimiter;
    }

    public Bulkhead bulkhead() {
        return bulkhead;
    }
}
