package io.spaghetti.sdk.core.ai;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.core.Sdk;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Instrumentation of the platform's AI calls, per provider and model: response time (histogram,
 * so percentiles aggregate across instances), tokens in and out, cost per request, errors by type,
 * and the AI work-queue length (the autoscaler's signal). Tag values are bounded: at most
 * {@value #MAX_VALUES} distinct providers, models and error types each; later ones count as {@code other}.
 *
 * <pre>{@code
 * AiMetrics ai = sdk.aiMetrics();
 * ai.recordCall("openai", "gpt-4o", Duration.ofMillis(840), 1200, 350, 0.0123);
 * ai.recordError("openai", "gpt-4o", "rate_limited");
 * ai.queueLength(workQueue::size);
 * }</pre>
 */
public final class AiMetrics {
    static final int MAX_VALUES = 20;
    private static final String OTHER = "other";

    /** A provider call as a span (tags provider, model): {@link #observe}. */
    public static final String CALL = "spaghetti.ai.call";

    private final MeterRegistry registry;
    private final ObservationRegistry observations;
    private final Set<String> providers = ConcurrentHashMap.newKeySet();
    private final Set<String> models = ConcurrentHashMap.newKeySet();
    private final Set<String> errorTypes = ConcurrentHashMap.newKeySet();

    public AiMetrics(MeterRegistry registry) {
        this(registry, ObservationRegistry.NOOP);
    }

    /** With provider calls as spans on {@code observations} ({@link Sdk#aiMetrics()} uses the SDK's). */
    public AiMetrics(MeterRegistry registry, ObservationRegistry observations) {
        this.registry = registry;
        this.observations = observations;
    }

    /**
     * Runs one provider call as the span {@value #CALL}, so a trace shows the call (and what it waited for) inside
     * the request; record its tokens and cost with {@link #recordCall} as before. The AI cache observes the calls
     * it makes.
     */
    public <T> T observe(String provider, String model, Supplier<T> call) {
        if (observations.isNoop()) {
            return call.get();
        }
        return Observation.createNotStarted(CALL, observations).contextualName("ai call " + model)
                .lowCardinalityKeyValue("provider", bounded(providers, provider))
                .lowCardinalityKeyValue("model", bounded(models, model)).observe(call);
    }

    /** One successful call. */
    public void recordCall(String provider, String model, Duration responseTime, long tokensIn, long tokensOut,
            double costUsd) {
        String p = bounded(providers, provider);
        String m = bounded(models, model);
        timer(p, m, "success").record(responseTime);
        Counter.builder("ai.tokens").tags("provider", p, "model", m, "direction", "in")
                .description("Tokens sent to and received from AI providers").register(registry).increment(tokensIn);
        Counter.builder("ai.tokens").tags("provider", p, "model", m, "direction", "out").register(registry)
                .increment(tokensOut);
        DistributionSummary.builder("ai.request.cost").baseUnit("usd").tags("provider", p, "model", m)
                .description("Cost of each AI request").register(registry).record(costUsd);
    }

    /** One failed call; {@code errorType} is a short class such as {@code timeout} or {@code rate_limited}. */
    public void recordError(String provider, String model, String errorType, Duration responseTime) {
        String p = bounded(providers, provider);
        String m = bounded(models, model);
        timer(p, m, "error").record(responseTime);
        Counter.builder("ai.errors").tags("provider", p, "type", bounded(errorTypes, errorType))
                .description("Failed AI requests by provider and error type").register(registry).increment();
    }

    /** An answer the AI cache served: the call it saved, its tokens and its cost. */
    public void recordCacheHit(String provider, String model, AiAnswer saved) {
        String p = bounded(providers, provider);
        String m = bounded(models, model);
        cacheRequests(p, m, "hit").increment();
        Counter.builder("ai.cache.tokens.saved").tags("provider", p, "model", m, "direction", "in")
                .description("Tokens the AI cache saved").register(registry).increment(saved.tokensIn());
        Counter.builder("ai.cache.tokens.saved").tags("provider", p, "model", m, "direction", "out").register(registry)
                .increment(saved.tokensOut());
        Counter.builder("ai.cache.cost.saved").baseUnit("usd").tags("provider", p, "model", m)
                .description("What the answers the AI cache served cost when they were first made").register(registry)
                .increment(saved.costUsd());
    }

    /** A request the AI cache could not answer: the provider was called. */
    public void recordCacheMiss(String provider, String model) {
        cacheRequests(bounded(providers, provider), bounded(models, model), "miss").increment();
    }

    private Counter cacheRequests(String provider, String model, String result) {
        return Counter.builder("ai.cache.requests").tags("provider", provider, "model", model, "result", result)
                .description("AI cache lookups by result").register(registry);
    }

    /** Publishes the AI work-queue length as {@code ai.queue.length}. */
    public void queueLength(Supplier<Number> length) {
        // Micrometer holds gauge state weakly; a caller's lambda would be collected and the gauge turn NaN.
        Gauge.builder("ai.queue.length", length, s -> s.get().doubleValue()).strongReference(true)
                .description("AI work items waiting; the autoscaler's signal").register(registry);
    }

    private Timer timer(String provider, String model, String outcome) {
        return Timer.builder("ai.request.duration").tags("provider", provider, "model", model, "outcome", outcome)
                .description("AI response time").publishPercentileHistogram().register(registry);
    }

    private static String bounded(Set<String> seen, String value) {
        String v = value == null || value.isBlank() ? "unknown" : value.toLowerCase(Locale.ROOT);
        if (seen.contains(v)) {
            return v;
        }
        // Check and add under one lock: concurrent first sightings must not take the set past the bound.
        synchronized (seen) {
            if (seen.contains(v)) {
                return v;
            }
            if (seen.size() >= MAX_VALUES) {
                return OTHER;
            }
            seen.add(v);
            return v;
        }
    }
}
