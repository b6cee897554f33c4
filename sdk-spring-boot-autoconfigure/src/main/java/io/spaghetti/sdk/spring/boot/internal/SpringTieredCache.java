package io.spaghetti.sdk.spring.boot.internal;

import io.spaghetti.sdk.core.cache.TieredCache;
import java.lang.reflect.Type;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * A {@link TieredCache} behind Spring's cache abstraction: {@code @Cacheable} reads L1 then L2,
 * {@code @CachePut} and {@code @CacheEvict} reach every instance's L1 through the SDK's invalidation, and
 * {@code @Cacheable(sync = true)} is the tiered cache's single flight (cluster-wide when the cache's
 * {@code clusterWideLoad} says so). Keys are the string form of Spring's keys.
 */
final class SpringTieredCache implements Cache {
    private final TieredCache<Object> cache;
    private final BoundTypeCodec codec;

    SpringTieredCache(TieredCache<Object> cache, BoundTypeCodec codec) {
        this.cache = cache;
        this.codec = codec;
    }

    void bindValueType(Type type, java.lang.reflect.Method method) {
        codec.bind(type, method);
    }

    @Override
    public String getName() {
        return cache.name();
    }

    @Override
    public Object getNativeCache() {
        return cache;
    }

    @Override
    public ValueWrapper get(Object key) {
        return cache.getIfPresent(key(key)).map(SimpleValueWrapper::new).orElse(null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Class<T> type) {
        Optional<Object> value = cache.getIfPresent(key(key));
        if (value.isPresent() && type != null && !type.isInstance(value.get())) {
            throw new IllegalStateException("cached value of '" + cache.name() + "' is a "
                    + value.get().getClass().getName() + ", not a " + type.getName());
        }
        return value.map(v -> type == null ? (T) v : type.cast(v)).orElse(null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Callable<T> valueLoader) {
        return (T) cache.get(key(key), k -> {
            try {
                return valueLoader.call();
            } catch (Exception e) {
                throw new ValueRetrievalException(key, valueLoader, e);
            }
        });
    }

    @Override
    public CompletableFuture<?> retrieve(Object key) {
        return CompletableFuture.completedFuture(cache.getIfPresent(key(key)).orElse(null));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
        return (CompletableFuture<T>) cache.getAsync(key(key), k -> valueLoader.get().join());
    }

    @Override
    public void put(Object key, Object value) {
        if (value == null) {
            cache.invalidate(key(key));
        } else {
            cache.put(key(key), value);
        }
    }

    @Override
    public void evict(Object key) {
        cache.invalidate(key(key));
    }

    @Override
    public void clear() {
        cache.invalidateAll();
    }

    private static String key(Object key) {
        return String.valueOf(key);
    }
}
