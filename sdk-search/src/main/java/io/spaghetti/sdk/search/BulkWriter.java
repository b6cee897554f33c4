package io.spaghetti.sdk.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.BackoffPolicy;
import io.spaghetti.sdk.search.internal.SearchMetrics;
import io.micrometer.observation.Observation;
import io.spaghetti.sdk.search.internal.SearchObservations;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Bulk indexing over the client's {@link BulkIngester}: flushes by count, bytes and interval, keeps
 * a bounded number of requests in flight (callers block when it is full), retries 429s with
 * exponential back-off, and reports every document that failed to {@code onFailure} with the
 * reason. {@link #close()} flushes everything and waits for it.
 */
public final class BulkWriter implements AutoCloseable {
    private final BulkIngester<SearchDocument> ingester;
    private final java.util.function.UnaryOperator<String> aliasForTenant;

    BulkWriter(ElasticsearchClient client, java.util.function.UnaryOperator<String> aliasForTenant,
            SearchConfig.Bulk config, SearchMetrics metrics, SearchObservations observations,
            Consumer<BulkFailure> onFailure, Consumer<String> written) {
        this.aliasForTenant = aliasForTenant;
        this.ingester = BulkIngester.<SearchDocument>of(b -> b
                .client(client)
                .maxOperations(config.maxOperations())
                .maxSize(config.maxBytes())
                .flushInterval(config.flushInterval().toMillis(), TimeUnit.MILLISECONDS)
                .maxConcurrentRequests(config.maxConcurrentRequests())
                .backoffPolicy(BackoffPolicy.exponentialBackoff(50L, config.maxRetries()))
                .listener(new Listener(metrics, observations, onFailure, written)));
    }

    public void add(SearchDocument doc) {
        ingester.add(op -> op.index(i -> i.index(aliasForTenant.apply(doc.tenantId())).id(doc.storageId()).routing(doc.tenantId()).document(doc)),
                doc);
    }

    /** Documents accepted so far (sent or waiting). */
    public long operations() {
        return ingester.operationsCount();
    }

    public void flush() {
        ingester.flush();
    }

    @Override
    public void close() {
        ingester.close();
    }

    private static final class Listener implements BulkListener<SearchDocument> {
        private final SearchMetrics metrics;
        private final SearchObservations observations;
        private final Consumer<BulkFailure> onFailure;
        private final Consumer<String> written;
        private final java.util.Map<Long, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Map<Long, Observation> flushes = new java.util.concurrent.ConcurrentHashMap<>();

        Listener(SearchMetrics metrics, SearchObservations observations, Consumer<BulkFailure> onFailure,
                Consumer<String> written) {
            this.metrics = metrics;
            this.observations = observations;
            this.onFailure = onFailure;
            this.written = written;
        }

        @Override
        public void beforeBulk(long id, BulkRequest request, List<SearchDocument> docs) {
            started.put(id, System.nanoTime());
            flushes.put(id, observations.bulkFlushStarted(request, docs.size()));
            metrics.inFlight.incrementAndGet();
            metrics.bulkSize.record(docs.size());
        }

        @Override
        public void afterBulk(long id, BulkRequest request, List<SearchDocument> docs, BulkResponse response) {
            done(id, request, null);
            docs.stream().map(SearchDocument::tenantId).distinct().forEach(written);
            List<BulkResponseItem> items = response.items();
            for (int i = 0; i < items.size(); i++) {
                BulkResponseItem item = items.get(i);
                if (item.error() != null) {
                    metrics.indexFailure.increment();
                    SearchDocument d = docs.get(i);
                    onFailure.accept(new BulkFailure(d.tenantId(), d.id(),
                            abbreviate(item.error().type() + ": " + item.error().reason())));
                } else {
                    metrics.indexSuccess.increment();
                }
            }
        }

        @Override
        public void afterBulk(long id, BulkRequest request, List<SearchDocument> docs, Throwable failure) {
            done(id, request, failure);
            metrics.bulkRequestFailure.increment();
            String reason = "request failed: " + failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
            for (SearchDocument d : docs) {
                metrics.indexFailure.increment();
                onFailure.accept(new BulkFailure(d.tenantId(), d.id(), reason));
            }
        }

        /** Elasticsearch quotes the offending value in the reason; keep callbacks and logs readable. */
        private static String abbreviate(String reason) {
            return reason.length() <= 300 ? reason : reason.substring(0, 300) + "...";
        }

        private void done(long id, BulkRequest request, Throwable failure) {
            Observation flush = flushes.remove(id);
            if (flush != null) {
                observations.bulkFlushEnded(request, flush, failure);
            }
            metrics.inFlight.decrementAndGet();
            Long t0 = started.remove(id);
            if (t0 != null) {
                metrics.bulkDuration.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            }
        }
    }
}
