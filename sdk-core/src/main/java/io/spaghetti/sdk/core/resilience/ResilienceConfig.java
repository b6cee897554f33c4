package io.spaghetti.sdk.core.resilience;

import io.spaghetti.sdk.core.config.ConfigProblems;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.DefaultsFrom;
import io.spaghetti.sdk.core.config.Validated;
import java.time.Duration;
import java.util.Map;

/**
 * Resilience policies per remote dependency (section {@code resilience}): {@code defaults}, and
 * under {@code dependencies.<name>} only what differs for that dependency.
 */
public record ResilienceConfig(Policy defaults, @DefaultsFrom("defaults") Map<String, Policy> dependencies)
        implements Validated {

    public static final ConfigSection<ResilienceConfig> SECTION =
            ConfigSection.of("resilience", ResilienceConfig.class);

    public ResilienceConfig {
        dependencies = Map.copyOf(dependencies);
    }

    /** The policy for a dependency such as {@code redis} or {@code elasticsearch}. */
    public Policy policyFor(String dependency) {
        return dependencies.getOrDefault(dependency, defaults);
    }

    /**
     * @param timeout            time limit of one asynchronous attempt
     * @param maxConcurrentCalls bulkhead: calls in flight at once
     */
    public record Policy(CircuitBreaker circuitBreaker, Retry retry, Duration timeout, int maxConcurrentCalls) {
    }

    /**
     * @param failureRateThreshold percentage of failed calls that opens the breaker
     * @param slowCallRateThreshold percentage of calls slower than slowCallDuration that opens it
     */
    public record CircuitBreaker(int failureRateThreshold, int slowCallRateThreshold, Duration slowCallDuration,
            int slidingWindowSize, int minimumNumberOfCalls, Duration waitInOpenState,
            int permittedCallsInHalfOpenState) {
    }

    /** Exponential back-off: initialBackoff, times multiplier per attempt, capped at maxBackoff. */
    public record Retry(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
    }

    @Override
    public void validate(ConfigProblems problems, String path) {
        check(problems, path + ".defaults", defaults);
        dependencies.forEach((name, p) -> check(problems, path + ".dependencies." + name, p));
    }

    private static void check(ConfigProblems problems, String path, Policy p) {
        CircuitBreaker cb = p.circuitBreaker();
        problems.require(cb.failureRateThreshold() > 0 && cb.failureRateThreshold() <= 100,
                path + ".circuitBreaker.failureRateThreshold", cb.failureRateThreshold(), "is not a percentage",
                "use 1 to 100");
        problems.require(cb.slowCallRateThreshold() > 0 && cb.slowCallRateThreshold() <= 100,
                path + ".circuitBreaker.slowCallRateThreshold", cb.slowCallRateThreshold(), "is not a percentage",
                "use 1 to 100");
        problems.require(cb.slidingWindowSize() >= 1, path + ".circuitBreaker.slidingWindowSize",
                cb.slidingWindowSize(), "must be at least 1", "use e.g. 20");
        problems.require(cb.minimumNumberOfCalls() >= 1, path + ".circuitBreaker.minimumNumberOfCalls",
                cb.minimumNumberOfCalls(), "must be at least 1", "use e.g. 10");
        problems.require(cb.permittedCallsInHalfOpenState() >= 1,
                path + ".circuitBreaker.permittedCallsInHalfOpenState", cb.permittedCallsInHalfOpenState(),
                "must be at least 1", "use e.g. 3");
        problems.require(p.retry().maxAttempts() >= 1, path + ".retry.maxAttempts", p.retry().maxAttempts(),
                "must be at least 1 (1 means no retry)", "use 1 to 5");
        problems.require(p.retry().multiplier() >= 1.0, path + ".retry.multiplier", p.retry().multiplier(),
                "must be at least 1.0", "use e.g. 2.0");
        problems.require(p.maxConcurrentCalls() >= 1, path + ".maxConcurrentCalls", p.maxConcurrentCalls(),
                "must be at least 1", "use e.g. 64");
        problems.require(!p.timeout().isZero() && !p.timeout().isNegative(), path + ".timeout", p.timeout(),
                "must be positive", "use e.g. 2s");
    }
}
