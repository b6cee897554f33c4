package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.spaghetti.sdk.search.internal.SearchBootstrap;
import io.spaghetti.sdk.search.internal.RolloverManager;
import io.spaghetti.sdk.search.internal.SnapshotManager;
import io.spaghetti.sdk.search.internal.Lease;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.testing.StackEnv;
import io.spaghetti.sdk.search.internal.SearchClientFactory;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Rollover, retention and snapshots on the real cluster (which has neither ILM nor SLM). */
class LifecycleIT {

    private static String alias(String kind) {
        return "spaghetti-" + kind + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void rollsOverByAgeDeletesPastRetentionAndRunsOnOneInstanceAtATime() throws Exception {
        String alias = alias("roll");
        ElasticsearchClient app = SearchClientFactory.create(SearchStack.app(alias));
        new SearchBootstrap(app, alias, "app").run();
        SearchConfig.Lifecycle lifecycle = new SearchConfig.Lifecycle(true, Duration.ofHours(1), Duration.ofSeconds(2),
                "50gb", Duration.ofDays(30), Duration.ofMinutes(1));
        RolloverManager manager = new RolloverManager(app, alias, lifecycle, new SimpleMeterRegistry());

        RolloverManager.Report young = manager.runOnce();
        assertThat(young.ran()).isTrue();
        assertThat(young.rolledOver()).isFalse();

        Thread.sleep(2_500);
        RolloverManager.Report rolled = manager.runOnce();
        assertThat(rolled.rolledOver()).isTrue();
        assertThat(rolled.writeIndex()).isEqualTo(alias + "-000002");
        assertThat(rolled.deleted()).isEmpty();
        Thread.sleep(2_100);

        // 000001 is older than a 2 s retention; 000002 is too, but it is the write index and stays.
        RolloverManager.Report retained = new RolloverManager(app, alias,
                new SearchConfig.Lifecycle(true, Duration.ofHours(1), Duration.ofDays(30), "50gb", Duration.ofSeconds(2),
                        Duration.ofMinutes(1)), new SimpleMeterRegistry()).runOnce();
        assertThat(retained.rolledOver()).isFalse();
        assertThat(retained.deleted()).containsExactly(alias + "-000001");
        assertThat(app.indices().getAlias(a -> a.name(alias)).result()).containsOnlyKeys(alias + "-000002");

        Lease held = new Lease(app, "rollover-" + alias);
        assertThat(held.tryAcquire(Duration.ofMinutes(1))).isTrue();
        assertThat(manager.runOnce().ran()).isFalse();
        held.release();
        assertThat(manager.runOnce().ran()).isTrue();
    }

    @Test
    void retentionOfTheSharedAliasNeverTouchesADedicatedTenantsIndices() throws Exception {
        String alias = alias("shared");
        String dedicated = alias + "-bigcorp";
        ElasticsearchClient app = SearchClientFactory.create(SearchStack.app(alias));
        new SearchBootstrap(app, alias, "app").run();
        new SearchBootstrap(app, dedicated, "app").run();
        Thread.sleep(2_100);

        RolloverManager.Report report = new RolloverManager(app, alias,
                new SearchConfig.Lifecycle(true, Duration.ofHours(1), Duration.ofDays(30), "50gb", Duration.ofSeconds(1),
                        Duration.ofMinutes(1)), new SimpleMeterRegistry()).runOnce();

        assertThat(report.deleted()).isEmpty();
        assertThat(app.indices().exists(e -> e.index(dedicated + "-000001")).value()).isTrue();
        assertThat(app.indices().getAlias(a -> a.name(dedicated)).result()).containsOnlyKeys(dedicated + "-000001");
        app.indices().delete(d -> d.index(alias + "-000001", dedicated + "-000001"));
    }

    /** Threads of Elasticsearch REST clients (Apache's async I/O reactor). */
    private static long restClientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().contains("I/O dispatcher") || t.getName().startsWith("elasticsearch-rest-client"))
                .count();
    }

    @Test
    void retriedStartsThatFailAtTheSnapshotRepositoryLeakNoClientAndScheduleNoJob() throws Exception {
        SearchConfig base = SearchStack.app("documents");
        SearchConfig broken = new SearchConfig(true, false, base.hosts(), base.caFile(), base.username(), base.password(),
                null, base.connectTimeout(), base.socketTimeout(), true, "documents", base.bulk(), base.lifecycle(),
                new SearchConfig.Snapshots(true, "broken-" + UUID.randomUUID(), "no-such-type", Map.of(),
                        Duration.ofHours(1), Duration.ofDays(1)), Map.of(), base.results());
        long before = restClientThreads();
        io.spaghetti.sdk.core.config.SdkConfig config = io.spaghetti.sdk.core.config.SdkConfig.loader()
                .yaml("t", "redis:\n  enabled: false\n").environment(Map.of()).systemProperties(new java.util.Properties())
                .load().with(SearchConfig.SECTION, broken);
        try (io.spaghetti.sdk.core.Sdk sdk = io.spaghetti.sdk.core.Sdk.builder().config(config)
                .meterRegistry(new SimpleMeterRegistry()).modules(java.util.List.of(new SearchModule()))
                .startRetryBackoff(Duration.ofMillis(200), Duration.ofMillis(400)).build()) {
            Thread.sleep(5_000);
            assertThat(sdk.checkHealth().module("search").status()).isEqualTo(io.spaghetti.sdk.core.HealthStatus.DEGRADED);
            assertThat(sdk.checkHealth().module("search").reason()).contains("snapshot");
            assertThat(restClientThreads() - before).as("REST client threads after repeated failed starts")
                    .isLessThanOrEqualTo(4);
        }
        Thread.sleep(500);
        assertThat(restClientThreads()).isLessThanOrEqualTo(before);
    }

    @Test
    void snapshotDeleteRestoreGivesTheSameCountAndRetentionDeletesOldSnapshots() throws Exception {
        String alias = alias("snap");
        ElasticsearchClient admin = SearchStack.admin();
        new SearchBootstrap(admin, alias, "elastic").run();
        for (int i = 0; i < 50; i++) {
            int n = i;
            admin.index(x -> x.index(alias).id("d" + n).document(Map.of("n", n)));
        }
        admin.indices().refresh(r -> r.index(alias));
        SearchConfig.Snapshots config = new SearchConfig.Snapshots(true, "spaghetti-it-backups", "fs",
                Map.of("location", StackEnv.require("STACK_ES_SNAPSHOT_PATH")), Duration.ofDays(1), Duration.ofDays(30));
        SnapshotManager snapshots = new SnapshotManager(admin, alias, config, new SimpleMeterRegistry());
        snapshots.registerRepository();
        snapshots.registerRepository();
        String name = snapshots.snapshotNow();

        admin.indices().delete(d -> d.index(alias + "-000001"));
        assertThat(admin.indices().exists(e -> e.index(alias + "-000001")).value()).isFalse();
        snapshots.restore(name);
        admin.indices().refresh(r -> r.index(alias));
        assertThat(admin.count(c -> c.index(alias)).count()).isEqualTo(50);
        assertThat(snapshots.deleteExpired()).isEmpty();

        SnapshotManager shortRetention = new SnapshotManager(admin, alias, new SearchConfig.Snapshots(true,
                config.repository(), "fs", config.settings(), Duration.ofDays(1), Duration.ofMillis(1)),
                new SimpleMeterRegistry());
        Thread.sleep(10);
        assertThat(shortRetention.deleteExpired()).containsExactly(name);
        admin.indices().delete(d -> d.index(alias + "-000001"));
    }
}
