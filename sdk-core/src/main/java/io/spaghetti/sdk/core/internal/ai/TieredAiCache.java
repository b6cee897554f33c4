package io.spaghetti.sdk.core.internal.ai;

import io.spaghetti.sdk.core.ai.AiAnswer;
import io.spaghetti.sdk.core.ai.AiCache;
import io.spaghetti.sdk.core.ai.AiConfig;
import io.spaghetti.sdk.core.ai.AiMetrics;
import io.spaghetti.sdk.core.ai.AiRequest;
import io.spaghetti.sdk.core.cache.CacheSpec;
import io.spaghetti.sdk.core.cache.Caches;
import io.spaghetti.sdk.core.cache.TieredCache;
import io.spaghetti.sdk.core.ValueProtector;
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

    /** What an answer's text is sealed for, with the tenant. */
    static final String PURPOSE = "ai-answer";

    private final ValueProtector protector;

    /** @param protector seals each answer's text for its tenant; null: answers are kept as they are */
    public TieredAiCache(Caches caches, AiMetrics metrics, AiConfig config, ValueProtector protector) {
        this.caches = caches;
        this.metrics = metrics;
        this.config = config.cache();
        this.protector = protector;
    }

    @Override
    public AiAnswer answer(AiRequest request, Function<AiRequest, AiAnswer> call) {
        requireTenantWhenSealed(request);
        boolean[] called = {false};
        AiAnswer[] fresh = {null};
        AiAnswer stored = cacheFor(request.model()).get(request.key(), k -> {
            called[0] = true;
            fresh[0] = metrics.observe(request.provider(), request.model(), () -> call.apply(request));
            return seal(fresh[0], request);
        });
        if (called[0]) {
            metrics.recordCacheMiss(request.provider(), request.model());
            return fresh[0];
        }
        AiAnswer answer = open(stored, request);
        if (answer != null) {
            metrics.recordCacheHit(request.provider(), request.model(), answer);
        }
        return answer;
    }

    @Override
    public Optional<AiAnswer> cached(AiRequest request) {
        requireTenantWhenSealed(request);
        return cacheFor(request.model()).getIfPresent(request.key()).map(a -> open(a, request));
    }

    private void requireTenantWhenSealed(AiRequest request) {
        if (protector != null && request.tenant() == null) {
            throw new IllegalArgumentException("ai.cache.encrypt binds each cached answer to a tenant, and this "
                    + request + " has none. Fix: AiRequest.of(...).forTenant(tenant)");
        }
    }

    private AiAnswer seal(AiAnswer answer, AiRequest request) {
        return protector == null || answer == null ? answer : new AiAnswer(
                protector.seal(answer.text(), request.tenant(), PURPOSE), answer.tokensIn(), answer.tokensOut(),
                answer.costUsd());
    }

    private AiAnswer open(AiAnswer stored, AiRequest request) {
        return protector == null || stored == null ? stored : new AiAnswer(
                protector.open(stored.text(), request.tenant(), PURPOSE), stored.tokensIn(), stored.tokensOut(),
                stored.costUsd());
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
        CacheSpec spec = base.withTtl(ttl).toBuilder().maxValueBytes(config.maxAnswerBytes()).clusterWideLoad(config.clusterWide()).cacheNulls(false).build();
        // Caches hands out one instance per name: models that share "other" share its cache.
        return caches.cache(cacheName, CODEC, spec);
    }
}
