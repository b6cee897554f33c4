package io.spaghetti.benchmarks;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.transport.BackoffPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.search.BulkWriter;
import io.spaghetti.sdk.search.DocumentStore;
import io.spaghetti.sdk.search.SearchConfig;
import io.spaghetti.sdk.search.SearchDocument;
import io.spaghetti.sdk.search.SearchModule;
import io.spaghetti.sdk.search.SearchQuery;
import java.time.Instant;
import java.util.Locale;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * SDK bulk indexing and queries against the bare elasticsearch-java client doing the same work in
 * the same run, on the cluster the usual configuration names (scripts/bench.sh sets the stack's).
 * A benchmark program rather than JMH: one bulk of tens of thousands of documents is the unit of work.
 * Arguments: [documents per side, default 50000] [queries per thread, default 250].
 */
public final class SearchBench {
    private static final String[] WORDS = {"budget", "design", "review", "report", "onboarding", "roadmap",
            "incident", "contract", "invoice", "release"};

    public static void main(String[] args) throws Exception {
        int docs = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int queriesPerThread = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        SdkConfig config = SdkConfig.loader().yaml("bench", "redis:\n  enabled: false\nflags:\n  enabled: false\n")
                .systemProperties(new Properties()).load();
        try (Sdk sdk = Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry()).build()) {
            SearchModule search = sdk.module(SearchModule.class);
            ElasticsearchClient bare = search.client();
            SearchConfig.Bulk bulk = config.section(SearchConfig.SECTION).bulk();
            String tenant = "bench-" + System.currentTimeMillis();
            List<SearchDocument> data = new ArrayList<>();
            for (int i = 0; i < docs; i++) {
                data.add(new SearchDocument("d" + i, tenant, "Title " + WORDS[i % 10] + " " + i,
                        "Body about " + WORDS[(i * 7) % 10] + " and " + WORDS[(i * 3) % 10], "a" + (i % 50),
                        List.of(WORDS[i % 10]), "en", "published", Instant.now(), Instant.now()));
            }
            // the module installed the templates and the write index at start (search.bootstrap)

            // Alternate the sides so neither always runs on a warmer cluster.
            double bareRate1 = bareBulk(bare, bulk, data, "bare1");
            double sdkRate1 = sdkBulk(search.documents(), data, "sdk1");
            double sdkRate2 = sdkBulk(search.documents(), data, "sdk2");
            double bareRate2 = bareBulk(bare, bulk, data, "bare2");
            double bareRate = (bareRate1 + bareRate2) / 2;
            double sdkRate = (sdkRate1 + sdkRate2) / 2;
            System.out.printf(Locale.ROOT, "bulk %d docs: bare BulkIngester %.0f docs/s, SDK BulkWriter %.0f docs/s, ratio %.2f%n",
                    docs, bareRate, sdkRate, sdkRate / bareRate);
            search.documents().refresh();

            String qTenant = tenant + "-sdk1";
            Query1 sdkQuery = i -> search.documents().search(qTenant, SearchQuery.text(WORDS[i % 10]).withSize(20));
            // The same request the SDK sends: tenant filter, exact total, score then id order, highlights.
            Query1 bareQuery = i -> bare.search(s -> s.index("documents").routing(qTenant).size(20)
                    .trackTotalHits(t -> t.enabled(true))
                    .query(q -> q.bool(b -> b.must(m -> m.multiMatch(mm -> mm.query(WORDS[i % 10])
                            .fields("title^2", "body"))).filter(Query.of(f -> f.term(t -> t.field("tenantId").value(qTenant))))))
                    .sort(o -> o.score(x -> x.order(co.elastic.clients.elasticsearch._types.SortOrder.Desc)))
                    .sort(o -> o.field(f -> f.field("id").order(co.elastic.clients.elasticsearch._types.SortOrder.Asc)))
                    .highlight(h -> h.fields("title", x -> x).fields("body", x -> x)), SearchDocument.class);
            queries(8, 50, sdkQuery);
            queries(8, 50, bareQuery);
            long[] bareLatency = queries(8, queriesPerThread, bareQuery);
            long[] sdkLatency = queries(8, queriesPerThread, sdkQuery);
            System.out.printf(Locale.ROOT, "queries, 8 threads x %d: SDK p50 %.1f ms p95 %.1f ms p99 %.1f ms | bare p50 %.1f ms "
                    + "p95 %.1f ms p99 %.1f ms%n", queriesPerThread, pct(sdkLatency, 50), pct(sdkLatency, 95),
                    pct(sdkLatency, 99), pct(bareLatency, 50), pct(bareLatency, 95), pct(bareLatency, 99));
        }
    }

    private static double sdkBulk(DocumentStore store, List<SearchDocument> data, String suffix) {
        long t0 = System.nanoTime();
        try (BulkWriter w = store.bulkWriter(f -> { throw new IllegalStateException("bench document failed: " + f); })) {
            for (SearchDocument d : data) {
                w.add(retenant(d, suffix));
            }
        }
        return data.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static double bareBulk(ElasticsearchClient client, SearchConfig.Bulk bulk, List<SearchDocument> data,
            String suffix) {
        long t0 = System.nanoTime();
        try (BulkIngester<Void> ingester = BulkIngester.of(b -> b.client(client).maxOperations(bulk.maxOperations())
                .maxSize(bulk.maxBytes()).maxConcurrentRequests(bulk.maxConcurrentRequests())
                .flushInterval(bulk.flushInterval().toMillis(), TimeUnit.MILLISECONDS)
                .backoffPolicy(BackoffPolicy.exponentialBackoff(50L, bulk.maxRetries())))) {
            for (SearchDocument d : data) {
                SearchDocument doc = retenant(d, suffix);
                ingester.add(op -> op.index(i -> i.index("documents").id(doc.storageId()).routing(doc.tenantId())
                        .document(doc)));
            }
        }
        return data.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static SearchDocument retenant(SearchDocument d, String suffix) {
        return new SearchDocument(d.id(), d.tenantId() + "-" + suffix, d.title(), d.body(), d.author(), d.tags(),
                d.language(), d.status(), d.created(), d.updated());
    }

    private interface Query1 {
        Object run(int i) throws Exception;
    }

    private static long[] queries(int threads, int perThread, Query1 query) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<long[]>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            results.add(pool.submit(() -> {
                long[] lat = new long[perThread];
                for (int i = 0; i < perThread; i++) {
                    long t0 = System.nanoTime();
                    query.run(i + offset);
                    lat[i] = System.nanoTime() - t0;
                }
                return lat;
            }));
        }
        long[] all = new long[threads * perThread];
        int k = 0;
        for (Future<long[]> f : results) {
            for (long l : f.get()) {
                all[k++] = l;
            }
        }
        pool.shutdown();
        Arrays.sort(all);
        return all;
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

}
