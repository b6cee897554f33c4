package io.spaghetti.sdk.core.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private final ExecutorService blockingCalls;

    RemotePolicy(String dependency, CircuitBreaker circuitBreaker, Retry retry, TimeLimiter timeLimiter,
            Bulkhead bulkhead, ScheduledExecutorService scheduler, ExecutorService blockingCalls) {
        this.blockingCalls = blockingCalls;
        this.dependency = dependency;
        this.circuitBreaker = circuitBreaker;
        this.retry = retry;
        this.timeLimiter = timeLimiter;
        this.bulkhead = bulkhead;
        this.scheduler = scheduler;
    }

    /**
     * Runs a blocking call. Each attempt runs on a policy thread and the caller waits at most the policy's
     * timeout for it ({@link RemoteTimeoutException} then), whatever the client library's own timeouts are: a
     * paused or unreachable server holds a policy thread, never the caller. At most {@code maxConcurrentCalls}
     * attempts run at once (the bulkhead).
     */
    public <T> T call(Supplier<T> call) {
        Supplier<T> s = Bulkhead.decorateSupplier(bulkhead, () -> withinDeadline(call));
        s = CircuitBreaker.decorateSupplier(circuitBreaker, s);
        return Retry.decorateSupplier(retry, s).get();
    }

    private <T> T withinDeadline(Supplier<T> call) {
        Future<T> attempt;
        try {
            attempt = blockingCalls.submit(call::get);
        } catch (RejectedExecutionException closed) {
            return call.get();
        }
        Duration limit = timeLimiter.getTimeLimiterConfig().getTimeoutDuration();
        try {
            return attempt.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            attempt.cancel(true);
            throw new RemoteTimeoutException(dependency, limit);
        } catch (InterruptedException e) {
            attempt.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + dependency, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CompletionException(cause);
        }
    }

    /**
     * Runs a blocking call once, without retry and on the caller's thread: for hot paths that bound the call
     * themselves (the cache's {@code l2Timeout}) and where a fallback beats waiting.
     */
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
