package io.spaghetti.sdk.search.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The module's meters, created once. */
public final class SearchMetrics {
    public final Timer queryDuration;
    public final Counter indexSuccess;
    public final Counter indexFailure;
    public final DistributionSummary bulkSize;
    public final Timer bulkDuration;
    public final Counter bulkRequestFailure;
    public final AtomicInteger inFlight = new AtomicInteger();
    public final Counter writeRecordFailures;
    private final MeterRegistry registry;
    private final Map<String, Relevance> relevance = new ConcurrentHashMap<>();

    /** Relevance meters of one tenant class. */
    public record Relevance(DistributionSummary topScore, DistributionSummary hits, Counter withResults,
            Counter zeroResults, DistributionSummary clickPosition) {
    }

    public SearchMetrics(MeterRegistry r) {
        registry = r;
        writeRecordFailures = Counter.builder("search.results.cache.write.failures")
                .description("Writes whose generation Redis did not record: other instances may serve older pages"
                        + " until search.results.cacheTtl").register(r);
        queryDuration = Timer.builder("search.query.duration").description("Search requests through the SDK")
                .publishPercentileHistogram().register(r);
        indexSuccess = Counter.builder("search.index.operations").tag("result", "success")
                .description("Documents indexed, by result").register(r);
        indexFailure = Counter.builder("search.index.operations").tag("result", "failure").register(r);
        bulkSize = DistributionSummary.builder("search.bulk.size").baseUnit("documents")
                .description("Documents per bulk request").register(r);
        bulkDuration = Timer.builder("search.bulk.duration").description("Bulk request latency")
                .publishPercentileHistogram().register(r);
        bulkRequestFailure = Counter.builder("search.bulk.request.failures")
                .description("Bulk requests that failed as a whole after retries").register(r);
        Gauge.builder("search.requests.in.flight", inFlight, AtomicInteger::get)
                .description("Search and bulk requests under way").register(r);
    }

    /** The relevance meters of a tenant class (few by configuration). */
    public Relevance relevance(String tenantClass) {
        return relevance.computeIfAbsent(tenantClass, c -> new Relevance(
                DistributionSummary.builder("search.results.top.score").tag("tenant_class", c)
                        .description("Score of the best hit of each search with results")
                        .publishPercentileHistogram().minimumExpectedValue(0.01).maximumExpectedValue(1000.0)
                        .register(registry),
                DistributionSummary.builder("search.results.hits").tag("tenant_class", c).baseUnit("hits")
                        .description("Matching documents per search").publishPercentileHistogram()
                        .maximumExpectedValue(1_000_000.0).register(registry),
                Counter.builder("search.queries").tag("tenant_class", c).tag("outcome", "results")
                        .description("Searches by outcome").register(registry),
                Counter.builder("search.queries").tag("tenant_class", c).tag("outcome", "zero").register(registry),
                DistributionSummary.builder("search.clicks.position").tag("tenant_class", c)
                        .description("Position (1 = first) of the result a user opened").publishPercentileHistogram()
                        .maximumExpectedValue(100.0).register(registry)));
    }
}
