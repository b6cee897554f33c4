package io.spaghetti.benchmarks;

import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.cache.TieredCache;
import io.spaghetti.sdk.spring.boot.autoconfigure.SpaghettiCacheAutoConfiguration;
import io.spaghetti.sdk.spring.boot.autoconfigure.SpaghettiSdkAutoConfiguration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;

/**
 * A {@code @Cacheable} hit through the starter (Spring's proxy, the starter's resolver, the tiered cache's L1)
 * against the same hit on the tiered cache called directly, and against {@code @Cacheable} on Spring's own
 * {@code ConcurrentMapCacheManager} (what the Spring proxy costs by itself). L1 only: no Redis needed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SpringCacheBenchmark {
    public record Doc(String id, String title) {
    }

    public static class Catalog {
        @Cacheable("docs")
        public Doc find(String id) {
            return new Doc(id, "Document " + id);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    @Import({SpaghettiSdkAutoConfiguration.class, SpaghettiCacheAutoConfiguration.class})
    static class OnTheStarter {
        @Bean
        Catalog catalog() {
            return new Catalog();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class OnConcurrentMap {
        @Bean
        Catalog catalog() {
            return new Catalog();
        }

        @Bean
        ConcurrentMapCacheManager cacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }

    private static final int KEYS = 1024;
    private final String[] keys = new String[KEYS];
    private AnnotationConfigApplicationContext starter;
    private AnnotationConfigApplicationContext concurrentMap;
    private Catalog onStarter;
    private Catalog onConcurrentMap;
    private TieredCache<Doc> raw;
    private int i;

    private static AnnotationConfigApplicationContext context(Class<?> config) {
        AnnotationConfigApplicationContext c = new AnnotationConfigApplicationContext();
        c.getEnvironment().getPropertySources().addFirst(new MapPropertySource("bench", Map.of(
                "spaghetti.redis.enabled", "false", "spaghetti.service.name", "spring-cache-bench")));
        c.register(config);
        c.refresh();
        return c;
    }

    @Setup(Level.Trial)
    public void setUp() {
        starter = context(OnTheStarter.class);
        concurrentMap = context(OnConcurrentMap.class);
        onStarter = starter.getBean(Catalog.class);
        onConcurrentMap = concurrentMap.getBean(Catalog.class);
        raw = starter.getBean(Sdk.class).cache().cache("raw", Doc.class);
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "key-" + k;
            onStarter.find(keys[k]);
            onConcurrentMap.find(keys[k]);
            raw.get(keys[k], id -> new Doc(id, "Document " + id));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        starter.close();
        concurrentMap.close();
    }

    @Benchmark
    public Doc tieredCacheDirect() {
        return raw.get(keys[i++ & (KEYS - 1)], id -> new Doc(id, "Document " + id));
    }

    @Benchmark
    public Doc cacheableOnTheStarter() {
        return onStarter.find(keys[i++ & (KEYS - 1)]);
    }

    @Benchmark
    public Doc cacheableOnConcurrentMap() {
        return onConcurrentMap.find(keys[i++ & (KEYS - 1)]);
    }
}
