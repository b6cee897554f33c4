package io.spaghetti.sdk.search.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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

    public SearchMetrics(MeterRegistry r) {
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
}
