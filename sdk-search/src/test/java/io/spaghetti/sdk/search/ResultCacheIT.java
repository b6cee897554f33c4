package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.SdkStartupException;
import io.spaghetti.sdk.core.cache.CacheModule;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances on the real cluster and the real Redis: result pages are cached, and a write on one instance makes
 * the other's cached page for that tenant miss at once; the relevance metrics carry a known corpus's values.
 */
class ResultCacheIT {
    private final List<Sdk> sdks = new ArrayList<>();
    private final String namespace = "results-" + UUID.randomUUID().toString().substring(0, 8);
    private final String tenant = "tenant-cache-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void closeAll() {
        sdks.forEach(Sdk::close);
    }

    private Sdk instance(boolean withRedis) {
        SdkConfig base = SdkConfig.loader().yaml("t", "cache:\n  namespace: " + namespace + "\n")
                .environment(Map.of()).systemProperties(new Properties()).load();
        RedisConfig rc = base.redis().toBuilder().enabled(withRedis)
                .addresses(List.of(StackEnv.require("STACK_REDIS_ADDRESS")))
                .password(Secret.ofValue(StackEnv.require("STACK_REDIS_PASSWORD"))).build();
        SearchConfig app = SearchStack.app("documents");
        // refresh=wait_for writes are searchable when acknowledged: a short visibility window suffices
        SearchConfig search = new SearchConfig(app.enabled(), app.required(), app.hosts(), app.caFile(),
                app.username(), app.password(), app.apiKey(), app.connectTimeout(), app.socketTimeout(),
                app.bootstrap(), app.alias(), app.bulk(), app.lifecycle(), app.snapshots(), app.dedicatedTenants(),
                new SearchConfig.Results(true, Duration.ofMinutes(5), Duration.ofMillis(300),
                        Map.of(tenant, "enterprise")));
        Sdk sdk = Sdk.builder().config(base.with(RedisConfig.SECTION, rc).with(SearchConfig.SECTION, search))
                .meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule(), new CacheModule(), new SearchModule())).build();
        sdks.add(sdk);
        return sdk;
    }

    private static SearchDocument doc(String id, String tenant, String title) {
        return new SearchDocument(id, tenant, title, "cached results body", "a", List.of("cache"), "en", "published",
                Instant.EPOCH, Instant.EPOCH);
    }

    private static double hits(MeterRegistry r) {
        return r.find("cache.gets").tags("cache", SearchModule.RESULTS_CACHE, "result", "hit").functionCounters()
                .stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aWriteOnOneInstanceMakesTheOthersCachedPageMissAtOnce() throws Exception {
        Sdk a = instance(true);
        Sdk b = instance(true);
        DocumentStore storeA = a.module(SearchModule.class).documents();
        DocumentStore storeB = b.module(SearchModule.class).documents();
        storeA.index(doc("c1", tenant, "Cached page one"), true);
        Thread.sleep(400);
        SearchQuery query = SearchQuery.text("cached");
        assertThat(storeB.search(tenant, query).total()).isEqualTo(1);
        assertThat(storeB.search(tenant, query).total()).isEqualTo(1);
        assertThat(hits(b.meterRegistry())).as("B's second search is a cache hit").isEqualTo(1);

        storeA.index(doc("c2", tenant, "Cached page two"), true);
        assertThat(storeB.search(tenant, query).total()).as("A's acknowledged write is in B's next page").isEqualTo(2);
        assertThat(hits(b.meterRegistry())).isEqualTo(1);

        Thread.sleep(400);
        try (BulkWriter writer = storeA.bulkWriter(f -> { })) {
            for (int i = 3; i <= 10; i++) {
                writer.add(doc("c" + i, tenant, "Cached bulk " + i));
            }
        }
        storeA.refresh();
        Thread.sleep(400);
        assertThat(storeB.search(tenant, query).total()).as("a flushed bulk counts as a write").isEqualTo(10);
        assertThat(storeB.search(tenant, query).total()).isEqualTo(10);
        assertThat(hits(b.meterRegistry())).isEqualTo(2);
        // another tenant's writes leave this tenant's page cached
        storeA.index(doc("o1", "tenant-other-" + namespace, "Cached elsewhere"), true);
        assertThat(storeB.search(tenant, query).total()).isEqualTo(10);
        assertThat(hits(b.meterRegistry())).isEqualTo(3);
    }

    @Test
    void relevanceMetricsForAKnownCorpus() throws Exception {
        Sdk a = instance(true);
        DocumentStore store = a.module(SearchModule.class).documents();
        store.index(doc("r1", tenant, "Relevance relevance relevance"), true);
        store.index(doc("r2", tenant, "Relevance once"), true);
        SearchPage page = store.search(tenant, SearchQuery.text("relevance"));
        store.search(tenant, SearchQuery.text("nothing-matches-this"));
        store.recordClick(tenant, 2);
        MeterRegistry r = a.meterRegistry();
        assertThat(r.get("search.queries").tags("tenant_class", "enterprise", "outcome", "results").counter().count())
                .isEqualTo(1);
        assertThat(r.get("search.queries").tags("tenant_class", "enterprise", "outcome", "zero").counter().count())
                .isEqualTo(1);
        assertThat(r.get("search.results.hits").tags("tenant_class", "enterprise").summary().totalAmount())
                .isEqualTo(2);
        assertThat(r.get("search.results.top.score").tags("tenant_class", "enterprise").summary().max())
                .isEqualTo(page.hits().get(0).score()).isPositive();
        assertThat(r.get("search.clicks.position").tags("tenant_class", "enterprise").summary().totalAmount())
                .isEqualTo(2);
        assertThatThrownBy(() -> store.recordClick(tenant, 0)).hasMessageContaining("the first hit is 1");
    }

    @Test
    void theResultCacheWithoutRedisIsAStartupErrorNamingTheFix() {
        assertThatThrownBy(() -> instance(false)).isInstanceOf(SdkStartupException.class)
                .hasMessageContaining("search.results.cache needs Redis")
                .hasMessageContaining("set search.results.cache: false");
    }
}
