package io.spaghetti.sdk.spring.boot.autoconfigure;

import io.spaghetti.sdk.core.cache.Caches;
import io.spaghetti.sdk.spring.boot.internal.TieredCacheManager;
import io.spaghetti.sdk.spring.boot.internal.ValueTypeCacheResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.context.annotation.Bean;

/**
 * Spring's cache abstraction on the tiered cache: {@code @Cacheable}, {@code @CachePut} and {@code @CacheEvict}
 * work across instances with the tiered cache's coherence (an eviction on one instance clears every instance's
 * L1). Backs off when the service defines its own {@code CacheManager}.
 */
@AutoConfiguration(after = SpaghettiSdkAutoConfiguration.class,
        beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnClass(CacheManager.class)
public class SpaghettiCacheAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(CacheManager.class)
    public TieredCacheManager cacheManager(Caches caches) {
        return new TieredCacheManager(caches);
    }

    /** Teaches each tiered cache the value type of the methods that fill it; nothing when the manager is not ours. */
    @Bean
    @ConditionalOnMissingBean(CachingConfigurer.class)
    public CachingConfigurer spaghettiCachingConfigurer(CacheManager cacheManager) {
        return new CachingConfigurer() {
            @Override
            public CacheResolver cacheResolver() {
                return cacheManager instanceof TieredCacheManager ? new ValueTypeCacheResolver(cacheManager) : null;
            }
        };
    }
}
