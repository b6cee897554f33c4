package io.spaghetti.sdk.core.internal.ai;

import io.spaghetti.sdk.core.ai.AiAnswer;
import io.spaghetti.sdk.core.ai.AiCache;
import io.spaghetti.sdk.core.ai.AiConfig;
import io.spaghetti.sdk.core.ai.AiMetrics;
import io.spaghetti.sdk.core.ai.AiRequest;
import io.spaghetti.sdk.core.cache.CacheSpec;
import io.spaghetti.sdk.core.cache.Caches;
import io.spaghetti.sdk.core.cache.TieredCache;
import io.spaghetti.sdk.core.cache.ValueCodec;
import java.time.Duration;
import java.util.Locale;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One tiered cache per model (so each has the model's TTL), named {@code ai-responses-<model>}; models past
 * {@value #MAX_MODELS} share {@code ai-responses-other} with the default TTL, which bounds caches and metric tags.
 */
public final class TieredAiCache implements AiCache {
    static final int MAX_MODELS = 20;
    private static final ValueCodec<AiAnswer> CODEC = ValueCodec.json(AiAnswer.class);

    private final Caches caches;
    private final AiMetrics metrics;
    private final AiConfig.Cache config;
    /** By the model as callers name it. */
    private final Map<String, TieredCache<AiAnswer>> byModel = new ConcurrentHashMap<>();
    /** The cache names made so far, at most {@value #MAX_MODELS} plus "other". */
    private final Set<String> named = new HashSet<>();

    public TieredAiCache(Caches caches, AiMetrics metrics, AiConfig config) {
        this.caches = caches;
        this.metrics = metrics;
        this.config = config.cache();
    }

    @Override
    public AiAnswer answer(AiRequest request, Function<AiRequest, AiAnswer> call) {
        boolean[] called = {false};
        AiAnswer answer = cacheFor(request.model()).get(request.key(), k -> {
            called[0] = true;
            return call.apply(request);
        });
        if (called[0]) {
            metrics.recordCacheMiss(request.provider(), request.model());
        } else if (answer != null) {
            metrics.recordCacheHit(request.provider(), request.model(), answer);
        }
        return answer;
    }

    @Override
    public Optional<AiAnswer> cached(AiRequest request) {
        return cacheFor(request.model()).getIfPresent(request.key());
    }

    @Override
    public void invalidate(AiRequest request) {
        cacheFor(request.model()).invalidate(request.key());
    }

    /** The model's cache: one map lookup on the hot path; naming and the bound only when a model is first seen. */
    private TieredCache<AiAnswer> cacheFor(String model) {
        TieredCache<AiAnswer> cache = byModel.get(model);
        return cache != null ? cache : byModel.computeIfAbsent(model, this::create);
    }

    private TieredCache<AiAnswer> create(String model) {
        String name = model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
        Duration ttl = config.ttlFor(model);
        synchronized (named) {
            if (!named.contains(name) && named.size() >= MAX_MODELS) {
                name = "other";
                ttl = config.ttl();
            }
            named.add(name);
        }
        String cacheName = "ai-responses-" + name;
        CacheSpec base = caches.specFor(cacheName);
        CacheSpec spec = base.toBuilder().l2Ttl(ttl).l1Ttl(ttl.compareTo(base.l1Ttl()) < 0 ? ttl : base.l1Ttl())
                .maxValueBytes(config.maxAnswerBytes()).clusterWideLoad(config.clusterWide()).cacheNulls(false).build();
        // Caches hands out one instance per name: models that share "other" share its cache.
        return caches.cache(cacheName, CODEC, spec);
    }
}
