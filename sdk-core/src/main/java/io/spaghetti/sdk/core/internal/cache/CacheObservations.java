package io.spaghetti.sdk.core.internal.cache;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.core.tracing.TraceHeaders;
import java.util.HashMap;
import java.util.Map;

/**
 * The tiered cache's observations, all with bounded tags: {@code spaghetti.cache.get} (tag {@code tier}: l1, l2,
 * loader or shared, the load another caller was already running; {@code outcome}: hit or miss), and the
 * invalidations {@code spaghetti.cache.invalidation.publish} and {@code .receive}, whose trace context travels in
 * the message so a receipt on another instance joins the writer's trace.
 */
final class CacheObservations {
    static final String GET = "spaghetti.cache.get";
    static final String PUBLISH = "spaghetti.cache.invalidation.publish";
    static final String RECEIVE = "spaghetti.cache.invalidation.receive";

    private final ObservationRegistry registry;

    CacheObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    boolean off() {
        return registry.isNoop();
    }

    /** An L1 hit, recorded only when someone listens. */
    void l1Hit(String cache) {
        if (!registry.isNoop()) {
            get(cache).lowCardinalityKeyValue("tier", "l1").lowCardinalityKeyValue("outcome", "hit").start().stop();
        }
    }

    /** A read past L1; the caller sets tier and outcome, then stops it. */
    Observation get(String cache) {
        return Observation.createNotStarted(GET, registry).contextualName("cache get " + cache)
                .lowCardinalityKeyValue("cache", cache);
    }

    /** Started around a publish; the headers it returns go into the message. */
    Observation publish(String cache, Map<String, String> headers) {
        return Observation.createNotStarted(PUBLISH, () -> TraceHeaders.sending(headers), registry)
                .contextualName("cache invalidation publish " + cache).lowCardinalityKeyValue("cache", cache);
    }

    Observation receive(String cache, Map<String, String> headers) {
        return Observation.createNotStarted(RECEIVE,
                () -> TraceHeaders.receiving(headers == null ? Map.of() : headers), registry)
                .contextualName("cache invalidation receive " + cache)
                .lowCardinalityKeyValue("cache", cache == null ? "all" : cache);
    }

    static Map<String, String> newHeaders() {
        return new HashMap<>(4);
    }
}
