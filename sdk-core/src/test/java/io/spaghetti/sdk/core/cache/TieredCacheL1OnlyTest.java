package io.spaghetti.sdk.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache with Redis switched off: L1 and loaders only, same API, no errors. */
class TieredCacheL1OnlyTest {
    record Doc(String id, String title) {
    }

    private SimpleMeterRegistry registry;
    private Sdk sdk;

    @BeforeEach
    void start() {
        registry = new SimpleMeterRegistry();
        SdkConfig config = SdkConfig.loader().yaml("t", "redis:\n  enabled: false\n").environment(Map.of())
                .systemProperties(new Properties()).load();
        sdk = Sdk.builder().config(config).meterRegistry(registry)
                .modules(List.of(new RedisModule(), new CacheModule())).build();
    }

    @AfterEach
    void stop() {
        sdk.close();
    }

    @Test
    void loadsOnceThenHitsL1() {
        TieredCache<Doc> docs = sdk.cache().cache("docs", Doc.class);
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThat(docs.get("d1", k -> new Doc(k, "t" + loads.incrementAndGet()))).isEqualTo(new Doc("d1", "t1"));
        }
        assertThat(loads).hasValue(1);
        assertThat(registry.get("cache.gets").tags("cache", "docs", "tier", "l1", "result", "hit").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get("cache.loads").tags("cache", "docs", "result", "success").counter().count()).isEqualTo(1);
        assertThat(sdk.checkHealth().module("cache").status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void anL1OnlyCacheCountsNoL2Errors() {
        TieredCache<Doc> docs = sdk.cache().cache("docs", Doc.class);
        for (int i = 0; i < 10; i++) {
            docs.get("d" + i, k -> new Doc(k, "t"));
            docs.put("p" + i, new Doc("p", "t"));
            docs.invalidate("d" + i);
        }
        docs.getAll(List.of("a", "b"), keys -> Map.of());
        docs.invalidateAll();
        assertThat(registry.find("cache.l2.errors").functionCounters()).allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(registry.find("cache.l2.errors").counters()).isNotEmpty().allSatisfy(c -> assertThat(c.count()).isZero());
    }

    @Test
    void getAllTreatsANullFromTheLoaderAsNothingFound() {
        TieredCache<Doc> docs = sdk.cache().cache("docs", Doc.class);
        docs.put("known", new Doc("known", "t"));
        assertThat(docs.getAll(List.of("known", "unknown"), keys -> null)).containsOnlyKeys("known");
    }

    @Test
    void concurrentMissesCallTheLoaderOncePerInstance() throws Exception {
        TieredCache<Doc> docs = sdk.cache().cache("docs", Doc.class);
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Doc>> results = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            results.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return docs.get("hot", k -> {
                    loads.incrementAndGet();
                    sleep(200);
                    return new Doc(k, "x");
                });
            }, java.util.concurrent.Executors.newCachedThreadPool()));
        }
        go.countDown();
        for (CompletableFuture<Doc> f : results) {
            assertThat(f.get()).isEqualTo(new Doc("hot", "x"));
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    void nullsAreCachedWhenAskedAndLoaderErrorsReachTheCaller() {
        TieredCache<Doc> docs = sdk.cache().cache("docs", Doc.class);
        AtomicInteger loads = new AtomicInteger();
        assertThat(docs.get("missing", k -> { loads.incrementAndGet(); return null; })).isNull();
        assertThat(docs.get("missing", k -> { loads.incrementAndGet(); return null; })).isNull();
        assertThat(loads).hasValue(1);

        TieredCache<Doc> noNulls = sdk.cache().cache("nonull", ValueCodec.json(Doc.class),
                sdk.cache().specFor("nonull").toBuilder().cacheNulls(false).build());
        noNulls.get("missing", k -> { loads.incrementAndGet(); return null; });
        noNulls.get("missing", k -> { loads.incrementAndGet(); return null; });
        assertThat(loads).hasValue(3);

        assertThatThrownBy(() -> docs.get("boom", k -> { throw new IllegalStateException("db down"); }))
                .hasMessage("db down");
    }

    @Test
    void cachedNullsExpireAfterNullTtlWhileValuesStay() throws Exception {
        TieredCache<Doc> docs = sdk.cache().cache("shortnull", ValueCodec.json(Doc.class),
                sdk.cache().specFor("shortnull").toBuilder().nullTtl(java.time.Duration.ofMillis(200)).build());
        AtomicInteger loads = new AtomicInteger();
        docs.get("none", k -> { loads.incrementAndGet(); return null; });
        docs.get("some", k -> { loads.incrementAndGet(); return new Doc(k, "v"); });
        docs.get("none", k -> { loads.incrementAndGet(); return null; });
        assertThat(loads).hasValue(2);
        Thread.sleep(300);
        docs.get("none", k -> { loads.incrementAndGet(); return null; });
        docs.get("some", k -> { loads.incrementAndGet(); return new Doc(k, "v2"); });
        assertThat(loads).hasValue(3);
        assertThat(docs.getIfPresent("some")).contains(new Doc("some", "v"));
    }

    @Test
    void putInvalidateBulkAndAsync() throws Exception {
        TieredCache<Doc> docs = sdk.cache().cache("docs", Doc.class);
        docs.put("a", new Doc("a", "1"));
        assertThat(docs.getIfPresent("a")).contains(new Doc("a", "1"));
        docs.invalidate("a");
        assertThat(docs.getIfPresent("a")).isEmpty();
        Map<String, Doc> all = docs.getAll(List.of("a", "b"), keys -> {
            assertThat(keys).isEqualTo(Set.of("a", "b"));
            return Map.of("a", new Doc("a", "2"), "b", new Doc("b", "2"));
        });
        assertThat(all).containsOnlyKeys("a", "b");
        assertThat(docs.getAsync("a", k -> null).get()).isEqualTo(new Doc("a", "2"));
        docs.invalidateAll();
        assertThat(docs.l1Size()).isZero();
    }

    @Test
    void badCacheNamesAreRejectedWithTheRule() {
        assertThatThrownBy(() -> sdk.cache().cache("Bad Name", Doc.class))
                .hasMessageContaining("lower-case letters, digits");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
