package io.spaghetti.sdk.core.cache;

import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.internal.cache.CachesImpl;
import io.spaghetti.sdk.core.redis.RedisModule;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;

/**
 * Module {@code cache}: the tiered cache. Starts without Redis (L1 and loaders only, DEGRADED)
 * and attaches to Redis whenever the {@code redis} module connects.
 */
public final class CacheModule implements SdkModule {
    private volatile CachesImpl caches;
    private volatile ScheduledFuture<?> probe;

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of("redis");
    }

    @Override
    public ConfigSection<CacheConfig> configSection() {
        return CacheConfig.SECTION;
    }

    @Override
    public void start(ModuleContext context) {
        CacheConfig config = context.config().section(CacheConfig.SECTION);
        String namespace = config.namespace() == null || config.namespace().isEmpty()
                ? context.config().service().name() : config.namespace();
        boolean redisEnabled = context.config().redis().enabled();
        CachesImpl c = new CachesImpl(config, namespace, redisEnabled, context.meterRegistry(),
                context.observationRegistry(), context.resilience().policy("redis-cache"),
                Executors.newCachedThreadPool(context.threadFactory("cache")));
        if (redisEnabled) {
            context.module(RedisModule.class).onConnected(c::attach);
            // the probe waits up to l2Timeout for Redis
            probe = context.scheduleBlocking("Cache L2 probe", Duration.ofSeconds(1), c::probe);
        }
        caches = c;
    }

    /** The named caches. */
    public Caches caches() {
        CachesImpl c = caches;
        if (c == null) {
            throw new IllegalStateException("the cache module is not started (cache.enabled: false?)");
        }
        return c;
    }

    @Override
    public Health health() {
        return caches.health();
    }

    @Override
    public void close() {
        ScheduledFuture<?> p = probe;
        if (p != null) {
            p.cancel(false);
        }
        CachesImpl c = caches;
        if (c != null) {
            c.close();
        }
    }
}
