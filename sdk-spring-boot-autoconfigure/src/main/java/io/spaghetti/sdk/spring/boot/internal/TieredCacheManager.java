package io.spaghetti.sdk.spring.boot.internal;

import io.spaghetti.sdk.core.cache.Caches;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Spring's {@link CacheManager} over the SDK's tiered caches: each name is a {@code TieredCache} with the spec of
 * {@code spaghetti.cache.caches.<name>} (else {@code spaghetti.cache.defaults}).
 */
public final class TieredCacheManager implements CacheManager {
    private final Caches caches;
    private final Map<String, SpringTieredCache> byName = new ConcurrentHashMap<>();

    public TieredCacheManager(Caches caches) {
        this.caches = caches;
    }

    @Override
    public Cache getCache(String name) {
        return byName.computeIfAbsent(name, n -> {
            BoundTypeCodec codec = new BoundTypeCodec(n);
            return new SpringTieredCache(caches.cache(n, codec, caches.specFor(n)), codec);
        });
    }

    @Override
    public Collection<String> getCacheNames() {
        return List.copyOf(byName.keySet());
    }
}
