package io.spaghetti.sdk.core.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.micrometer.context.ContextExecutorService;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Builds one {@link RemotePolicy} per remote dependency from {@link ResilienceConfig}, with every
 * Resilience4j component published to Micrometer ({@code resilience4j.circuitbreaker.*}, ...).
 */
public final class Resilience {
    private final ResilienceConfig config;
    private final ScheduledExecutorService scheduler;
    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();
    private final RetryRegistry retries = RetryRegistry.ofDefaults();
    private final TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
    private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    private final Map<String, RemotePolicy> policies = new ConcurrentHashMap<>();
    /**
     * Where blocking calls run, so their callers can stop waiting at the policy's timeout; each call carries its
     * caller's observation (and so its trace and log ids) onto that thread.
     */
    private final ExecutorService blockingCalls = ContextExecutorService.wrap(Executors.newCachedThreadPool(
            new io.spaghetti.sdk.core.internal.bootstrap.SdkThreads("remote-call")));
    /**
     * The failure rules of each policy, read on every failure: whoever asks for a policy with rules sets them,
     * also on a policy that already exists (an application may ask for "key-vault" before crypto starts), and a
     * request without rules never resets them.
     */
    private final Map<String, FailureRules> rules = new ConcurrentHashMap<>();

    private record FailureRules(Predicate<Throwable> retryOn, Predicate<Throwable> recordAsFailure,
            Function<Throwable, Duration> serverRequestedDelay) {
        static final FailureRules ALL = new FailureRules(t -> true, t -> true, t -> null);
    }

    public Resilience(ResilienceConfig config, MeterRegistry meters, ScheduledExecutorService scheduler) {
        this.config = config;
        this.scheduler = scheduler;
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(meters);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
    }

    /** The policy for {@code dependency}, e.g. {@code redis}; the same instance on every call. */
    public RemotePolicy policy(String dependency) {
        rules.putIfAbsent(dependency, FailureRules.ALL);
        return policies.computeIfAbsent(dependency, this::create);
    }

    /**
     * Like {@link #policy(String)} but only failures matching {@code recordAsFailure} count
     * against the breaker and are retried (e.g. connection errors, not "not found").
     */
    public RemotePolicy policy(String dependency, Predicate<Throwable> recordAsFailure) {
        return policy(dependency, recordAsFailure, recordAsFailure, t -> null);
    }

    /**
     * For a service that throttles: failures matching {@code retryOn} are retried (e.g. 429 and 5xx),
     * only those matching {@code recordAsFailure} count against the breaker (e.g. 5xx and no
     * connection, not throttling), and a retry waits at least what the server asked for:
     * {@code serverRequestedDelay} reads it from the failure (HTTP Retry-After), or returns null.
     */
    public RemotePolicy policy(String dependency, Predicate<Throwable> retryOn, Predicate<Throwable> recordAsFailure,
            Function<Throwable, Duration> serverRequestedDelay) {
        rules.put(dependency, new FailureRules(retryOn, recordAsFailure, serverRequestedDelay));
        return policies.computeIfAbsent(dependency, this::create);
    }

    private RemotePolicy create(String dependency) {
        ResilienceConfig.Policy p = config.policyFor(dependency);
        ResilienceConfig.CircuitBreaker cb = p.circuitBreaker();
        CircuitBreaker breaker = circuitBreakers.circuitBreaker(dependency, CircuitBreakerConfig.custom()
                .failureRateThreshold(cb.failureRateThreshold())
                .slowCallRateThreshold(cb.slowCallRateThreshold())
                .slowCallDurationThreshold(cb.slowCallDuration())
                .slidingWindowSize(cb.slidingWindowSize())
                .minimumNumberOfCalls(cb.minimumNumberOfCalls())
                .waitDurationInOpenState(cb.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(cb.permittedCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(t -> rules.get(dependency).recordAsFailure().test(t))
                .build());
        ResilienceConfig.Retry r = p.retry();
        IntervalFunction backoff = IntervalFunction.ofExponentialBackoff(r.initialBackoff(), r.multiplier(),
                r.maxBackoff());
        Retry retry = retries.retry(dependency, RetryConfig.custom()
                .maxAttempts(r.maxAttempts())
                .intervalBiFunction((attempt, outcome) -> {
                    long ours = backoff.apply(attempt);
                    Duration asked = outcome.isLeft()
                            ? rules.get(dependency).serverRequestedDelay().apply(outcome.getLeft()) : null;
                    return asked == null ? ours : Math.max(ours, asked.toMillis());
                })
                .retryOnException(t -> rules.get(dependency).retryOn().test(t) && !(t instanceof CallNotPermittedException)
                        && !(t instanceof BulkheadFullException))
                .build());
        TimeLimiter limiter = timeLimiters.timeLimiter(dependency, TimeLimiterConfig.custom()
                .timeoutDuration(p.timeout()).cancelRunningFuture(true).build());
        Bulkhead bulkhead = bulkheads.bulkhead(dependency, BulkheadConfig.custom()
                .maxConcurrentCalls(p.maxConcurrentCalls()).maxWaitDuration(java.time.Duration.ZERO).build());
        return new RemotePolicy(dependency, breaker, retry, limiter, bulkhead, scheduler, blockingCalls);
    }

    /** Stops the threads of blocking calls (the SDK calls it on close). */
    public void close() {
        blockingCalls.shutdownNow();
    }
}
