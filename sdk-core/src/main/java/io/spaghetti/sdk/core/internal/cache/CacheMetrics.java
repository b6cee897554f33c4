package io.spaghetti.sdk.core.internal.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one cache, created once so the hot path only increments. Names follow
 * Micrometer's cache conventions ({@code cache.gets}, {@code cache.puts}, {@code cache.evictions},
 * {@code cache.size}) with a {@code tier} tag.
 */
final class CacheMetrics {
    // Lookups are on the hit path: plain LongAdders, read by FunctionCounters at scrape time.
    final LongAdder l1Hit = new LongAdder();
    final LongAdder l1Miss = new LongAdder();
    final LongAdder l2Hit = new LongAdder();
    final LongAdder l2Miss = new LongAdder();
    final Counter puts;
    final Counter evictions;
    final Counter loadSuccess;
    final Counter loadFailure;
    final Timer loadTime;
    final Counter invalidationsSent;
    final Counter invalidationsReceived;
    final Counter l1Clears;
    final Counter l2ErrorTimeout;
    final Counter l2ErrorUnavailable;
    final Counter l2ErrorOther;
    final Counter l2Corrupt;
    final Counter l2Oversized;

    CacheMetrics(MeterRegistry r, String cache) {
        gets(r, cache, "l1", "hit", l1Hit);
        gets(r, cache, "l1", "miss", l1Miss);
        gets(r, cache, "l2", "hit", l2Hit);
        gets(r, cache, "l2", "miss", l2Miss);
        puts = Counter.builder("cache.puts").tag("cache", cache).description("Entries written").register(r);
        evictions = Counter.builder("cache.evictions").tag("cache", cache).tag("tier", "l1")
                .description("L1 entries evicted for size").register(r);
        loadSuccess = Counter.builder("cache.loads").tag("cache", cache).tag("result", "success").register(r);
        loadFailure = Counter.builder("cache.loads").tag("cache", cache).tag("result", "failure").register(r);
        loadTime = Timer.builder("cache.load.duration").tag("cache", cache)
                .description("Time spent in the loader").publishPercentileHistogram().register(r);
        invalidationsSent = invalidations(r, cache, "sent");
        invalidationsReceived = invalidations(r, cache, "received");
        l1Clears = Counter.builder("cache.l1.clears").tag("cache", cache)
                .description("Whole-L1 clears after a lost subscription or a Redis outage").register(r);
        l2ErrorTimeout = l2Errors(r, cache, "timeout");
        l2ErrorUnavailable = l2Errors(r, cache, "unavailable");
        l2ErrorOther = l2Errors(r, cache, "other");
        l2Corrupt = l2Errors(r, cache, "corrupt");
        l2Oversized = Counter.builder("cache.l2.oversized").tag("cache", cache)
                .description("Values not written to L2 because they exceed maxValueBytes").register(r);
    }

    private static void gets(MeterRegistry r, String cache, String tier, String result, LongAdder count) {
        FunctionCounter.builder("cache.gets", count, LongAdder::sum).tag("cache", cache).tag("tier", tier)
                .tag("result", result).description("Lookups by tier and result").register(r);
    }

    private static Counter invalidations(MeterRegistry r, String cache, String direction) {
        return Counter.builder("cache.invalidations").tag("cache", cache).tag("direction", direction)
                .description("Cross-instance invalidation messages").register(r);
    }

    private static Counter l2Errors(MeterRegistry r, String cache, String kind) {
        return Counter.builder("cache.l2.errors").tag("cache", cache).tag("kind", kind)
                .description("Redis operations of the cache that failed; callers got L1 or the loader").register(r);
    }
}
