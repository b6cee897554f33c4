package io.spaghetti.sdk.search;

import io.spaghetti.sdk.search.internal.SearchBootstrap;
import io.spaghetti.sdk.search.internal.IndexLifecycle;
import io.spaghetti.sdk.search.internal.RolloverManager;
import io.spaghetti.sdk.search.internal.SnapshotManager;
import java.util.Locale;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.cache.CacheModule;
import io.spaghetti.sdk.core.cache.CacheSpec;
import io.spaghetti.sdk.core.cache.Caches;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.search.internal.PageCodec;
import io.spaghetti.sdk.search.internal.ResultCache;
import io.spaghetti.sdk.search.internal.ObservationInstrumentation;
import io.spaghetti.sdk.search.internal.SearchClientFactory;
import io.spaghetti.sdk.search.internal.SearchObservations;
import io.spaghetti.sdk.search.internal.SearchErrors;
import io.spaghetti.sdk.search.internal.SearchMetrics;
import io.spaghetti.sdk.search.internal.TenantWriteClock;
import java.io.IOException;
import java.util.Map;

/**
 * Module {@code search}: the Elasticsearch client, the bootstrap of templates and the initial
 * index, and tenant-scoped documents. Readiness is {@code _cluster/health} (not {@code GET /}).
 */
public final class SearchModule implements SdkModule {
    /** The tiered cache holding result pages (settings under {@code cache.caches.search-results}). */
    public static final String RESULTS_CACHE = "search-results";
    private final ElasticsearchClient external;
    private volatile ElasticsearchClient client;
    private volatile DocumentStore documents;
    private volatile BootstrapReport bootstrapReport;
    private volatile SearchConfig config;
    private volatile IndexLifecycle.Mode lifecycleMode;
    private final java.util.List<java.util.concurrent.ScheduledFuture<?>> jobs = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Builds its own client from {@code search.*} at start. */
    public SearchModule() {
        this.external = null;
    }

    /**
     * Uses a client the application already has (a Spring {@code ElasticsearchClient} bean): {@code search.hosts}
     * and credentials are then unused, and {@link #close} leaves the client open.
     */
    public SearchModule(ElasticsearchClient existing) {
        this.external = java.util.Objects.requireNonNull(existing, "existing");
    }

    @Override
    public String name() {
        return "search";
    }

    @Override
    public ConfigSection<SearchConfig> configSection() {
        return SearchConfig.SECTION;
    }

    /** The tiered cache keeps result pages when {@code search.results.cache} is on. */
    @Override
    public java.util.Set<String> startsAfter() {
        return java.util.Set.of("cache");
    }

    @Override
    public void start(ModuleContext context) throws IOException {
        SearchConfig c = context.config().section(SearchConfig.SECTION);
        ObservationInstrumentation clientSpans = external != null || context.observationRegistry().isNoop() ? null
                : new ObservationInstrumentation(context.observationRegistry());
        ElasticsearchClient es = external != null ? external
                : clientSpans == null ? SearchClientFactory.create(c) : SearchClientFactory.create(c, clientSpans);
        java.util.List<java.util.concurrent.ScheduledFuture<?>> scheduled = new java.util.ArrayList<>();
        try {
            String user = c.username() == null ? "(api key)" : c.username();
            try {
                es.cluster().health();
            } catch (IOException | RuntimeException e) {
                throw SearchErrors.explain("read the cluster health", user, e);
            }
            IndexLifecycle.Mode mode = IndexLifecycle.detect(es);
            BootstrapReport report = c.bootstrap() ? SearchBootstrap.installAll(es, c, user, mode) : null;
            SnapshotManager snapshots = null;
            if (c.snapshots().enabled()) {
                snapshots = new SnapshotManager(es, c.alias(), c.snapshots(), context.meterRegistry());
                snapshots.registerRepository();
            }
            DocumentStore store = new DocumentStore(es, c, new SearchMetrics(context.meterRegistry()),
                    new SearchObservations(context.observationRegistry(), clientSpans),
                    context.resilience().policy("elasticsearch", t -> {
                        int status = SearchErrors.status(t);
                        return status < 0 || status == 429 || status >= 500;
                    }), c.results().cache() ? resultCache(context, c) : null);
            // Everything that can fail has run: schedule the jobs and publish.
            if (c.lifecycle().enabled() && mode == IndexLifecycle.Mode.SDK_ROLLOVER) {
                for (String alias : c.aliases()) {
                    RolloverManager rollover = new RolloverManager(es, alias, c.lifecycle(), context.meterRegistry());
                    scheduled.add(schedule(context, "lifecycle", c.lifecycle().checkInterval(), rollover::runOnce));
                }
            }
            if (snapshots != null) {
                SnapshotManager s = snapshots;
                scheduled.add(schedule(context, "snapshots", c.snapshots().interval(), () -> {
                    s.snapshotNow();
                    s.deleteExpired();
                }));
            }
            jobs.addAll(scheduled);
            lifecycleMode = mode;
            bootstrapReport = report;
            documents = store;
            config = c;
            client = es;
        } catch (RuntimeException e) {
            scheduled.forEach(j -> j.cancel(false));
            if (es != external) {
                es._transport().close();
            }
            throw e;
        }
    }

    private static ResultCache resultCache(ModuleContext context, SearchConfig c) {
        if (!context.config().redis().enabled()) {
            throw new IllegalStateException("search.results.cache needs Redis, which records each tenant's writes for"
                    + " every instance. Fix: enable redis, or set search.results.cache: false");
        }
        RedisModule redis = context.module(RedisModule.class);
        Caches caches = context.module(CacheModule.class).caches();
        java.time.Duration ttl = c.results().cacheTtl();
        CacheSpec spec = caches.specFor(RESULTS_CACHE).withTtl(ttl);
        // a tenant's generation outlives every page cached under it
        java.time.Duration keep = ttl.multipliedBy(10).compareTo(java.time.Duration.ofDays(1)) > 0
                ? ttl.multipliedBy(10) : java.time.Duration.ofDays(1);
        return new ResultCache(caches.cache(RESULTS_CACHE, new PageCodec(), spec),
                new TenantWriteClock(redis::clientIfConnected, c.alias(), keep, spec.l2Timeout()),
                c.results().writeVisibility());
    }

    /** A periodic job on the SDK's blocking pool; a failed run is logged in one line and the next one still runs. */
    private static java.util.concurrent.ScheduledFuture<?> schedule(ModuleContext context, String job,
            java.time.Duration every, Runnable task) {
        return context.scheduleBlocking("Search " + job + " job", every, task);
    }

    public ElasticsearchClient client() {
        return started(client);
    }

    public DocumentStore documents() {
        return started(documents);
    }

    /** What the start-up bootstrap did, or null when {@code search.bootstrap} is false. */
    public BootstrapReport bootstrapReport() {
        return bootstrapReport;
    }

    private static <T> T started(T value) {
        if (value == null) {
            throw new IllegalStateException("Elasticsearch is not connected yet (module search is DEGRADED or DISABLED)");
        }
        return value;
    }

    @Override
    public Health health() {
        try {
            HealthResponse h = client.cluster().health();
            Map<String, Object> details = Health.details("cluster", h.clusterName(), "status", h.status().jsonValue(),
                    "nodes", h.numberOfNodes(), "lifecycle", lifecycleMode.name().toLowerCase(Locale.ROOT));
            if (h.status() == HealthStatus.Red) {
                return Health.down("cluster status red").withDetails(details);
            }
            if (h.status() == HealthStatus.Yellow) {
                return Health.degraded("cluster status yellow (replicas unassigned)").withDetails(details);
            }
            return Health.up(details);
        } catch (IOException | RuntimeException e) {
            return Health.down("cluster health unreachable: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        jobs.forEach(j -> j.cancel(false));
        jobs.clear();
        documents = null;
        ElasticsearchClient c = client;
        client = null;
        if (c != null && c != external) {
            try {
                c._transport().close();
            } catch (IOException e) {
                // closing a connection pool; nothing to recover
            }
        }
    }
}
