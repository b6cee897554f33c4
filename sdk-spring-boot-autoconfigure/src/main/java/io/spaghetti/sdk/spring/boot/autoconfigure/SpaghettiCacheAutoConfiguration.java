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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

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

    /**
     * Teaches each tiered cache the value type of the methods that fill it. Static and lazy: Spring builds the
     * caching advisors before ordinary beans, and this must not start the SDK that early. A service's own
     * {@code CacheManager} gets Spring's usual resolution.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean(CachingConfigurer.class)
    public static CachingConfigurer spaghettiCachingConfigurer(ObjectProvider<CacheManager> cacheManager) {
        return new CachingConfigurer() {
            @Override
            public CacheResolver cacheResolver() {
                return new ValueTypeCacheResolver(cacheManager::getObject);
            }
        };
    }
}
