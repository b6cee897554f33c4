package io.spaghetti.sdk.spring.boot.internal;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.CachePutOperation;
import org.springframework.cache.interceptor.CacheableOperation;
import org.springframework.cache.interceptor.CacheResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Resolves caches as Spring does, and tells each tiered cache the value type of the method that fills it, so
 * values read back from Redis after a restart are of that type ({@code Optional<T>} and
 * {@code CompletableFuture<T>} hold a {@code T}, as Spring caches them).
 */
public final class ValueTypeCacheResolver implements CacheResolver {
    private final Supplier<CacheManager> cacheManager;

    /** @param cacheManager looked up at the first call: the caching infrastructure is built before the SDK starts */
    public ValueTypeCacheResolver(Supplier<CacheManager> cacheManager) {
        this.cacheManager = cacheManager;
    }

    @Override
    public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
        CacheManager manager = cacheManager.get();
        List<Cache> caches = new ArrayList<>();
        for (String name : context.getOperation().getCacheNames()) {
            Cache cache = manager.getCache(name);
            if (cache == null) {
                throw new IllegalArgumentException("No cache named '" + name + "' for " + context.getOperation());
            }
            caches.add(cache);
        }
        if (context.getOperation() instanceof CacheableOperation || context.getOperation() instanceof CachePutOperation) {
            Type type = valueType(context.getMethod().getGenericReturnType());
            for (Cache cache : caches) {
                if (cache instanceof SpringTieredCache tiered) {
                    tiered.bindValueType(type, context.getMethod());
                }
            }
        }
        return caches;
    }

    static Type valueType(Type returnType) {
        if (returnType instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw
                && (raw == Optional.class || CompletionStage.class.isAssignableFrom(raw))) {
            return p.getActualTypeArguments()[0];
        }
        return returnType;
    }
}
