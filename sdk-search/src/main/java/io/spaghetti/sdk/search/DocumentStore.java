package io.spaghetti.sdk.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.HighlighterEncoder;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.spaghetti.sdk.core.resilience.RemotePolicy;
import io.spaghetti.sdk.search.internal.DocumentIds;
import io.spaghetti.sdk.search.internal.ResultCache;
import io.spaghetti.sdk.search.internal.SearchCursor;
import io.spaghetti.sdk.search.internal.SearchErrors;
import io.spaghetti.sdk.search.internal.SearchMetrics;
import io.spaghetti.sdk.search.internal.SearchObservations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Tenant-scoped documents behind the alias: every write is routed by tenant and every read is
 * filtered by it, so one tenant can never see another's documents. With {@code search.results.cache} result pages
 * are kept in the tiered cache until the tenant's next write, on any instance.
 */
public final class DocumentStore {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DocumentStore.class);
    private final ElasticsearchClient client;
    private final SearchConfig config;
    private final SearchMetrics metrics;
    private final SearchObservations observations;
    private final RemotePolicy policy;
    private final ResultCache results;

    DocumentStore(ElasticsearchClient client, SearchConfig config, SearchMetrics metrics,
            SearchObservations observations, RemotePolicy policy, ResultCache results) {
        this.client = client;
        this.config = config;
        this.metrics = metrics;
        this.observations = observations;
        this.policy = policy;
        this.results = results;
    }

    /** Indexes one document; {@code refresh} makes it searchable before returning (tests, low-volume writes). */
    public void index(SearchDocument doc, boolean refresh) {
        observations.index(config.tenantClass(doc.tenantId()), () -> call("index a document", () -> client.index(i -> {
            i.index(config.aliasFor(doc.tenantId())).id(doc.storageId()).routing(doc.tenantId()).document(doc);
            if (refresh) {
                i.refresh(co.elastic.clients.elasticsearch._types.Refresh.WaitFor);
            }
            return i;
        })));
        metrics.indexSuccess.increment();
        written(doc.tenantId());
    }

    /**
     * A user opened the result at {@code position} (1 = the first hit of the first page): the click-through
     * metric {@code search.clicks.position}.
     */
    public void recordClick(String tenant, int position) {
        DocumentIds.requireTenant(tenant);
        if (position < 1) {
            throw new IllegalArgumentException("position " + position + " is not a result position: the first hit is 1");
        }
        metrics.relevance(config.tenantClass(tenant)).clickPosition().record(position);
    }

    /** After an acknowledged write: pages of the tenant cached anywhere are not read again. */
    private void written(String tenant) {
        if (results == null) {
            return;
        }
        try {
            results.written(tenant);
        } catch (RuntimeException e) {
            metrics.writeRecordFailures.increment();
            log.warn("Search result cache: {}; other instances may answer from pages older than this write for up "
                    + "to search.results.cacheTtl", e.getMessage());
        }
    }

    public Optional<SearchDocument> get(String tenant, String id) {
        DocumentIds.requireId(id);
        SearchPage page = search(tenant, new SearchQuery(null, List.of(), 1, null, false, false), id);
        return page.hits().stream().map(SearchPage.Hit::document).findFirst();
    }

    public SearchPage search(String tenant, SearchQuery query) {
        DocumentIds.requireTenant(tenant);
        String tenantClass = config.tenantClass(tenant);
        SearchPage page = observations.query(tenantClass, () -> results == null ? search(tenant, query, null)
                : results.get(tenant, query, () -> search(tenant, query, null)));
        SearchMetrics.Relevance r = metrics.relevance(tenantClass);
        r.hits().record(page.total());
        if (page.hits().isEmpty()) {
            r.zeroResults().increment();
        } else {
            r.withResults().increment();
            r.topScore().record(page.hits().get(0).score());
        }
        return page;
    }

    private SearchPage search(String tenant, SearchQuery q, String onlyId) {
        DocumentIds.requireTenant(tenant);
        List<Query> filters = new ArrayList<>();
        filters.add(Query.of(f -> f.term(t -> t.field("tenantId").value(tenant))));
        q.tags().forEach(tag -> filters.add(Query.of(f -> f.term(t -> t.field("tags").value(tag)))));
        if (onlyId != null) {
            filters.add(Query.of(f -> f.term(t -> t.field("id").value(onlyId))));
        }
        Query text = q.text() == null || q.text().isBlank() ? Query.of(m -> m.matchAll(a -> a))
                : Query.of(m -> m.multiMatch(mm -> mm.query(q.text()).fields("title^2", "body")));
        List<FieldValue> after = q.cursor() == null ? null : SearchCursor.decode(q.cursor());
        long t0 = System.nanoTime();
        metrics.inFlight.incrementAndGet();
        try {
            SearchResponse<SearchDocument> r = call("search", () -> client.search(s -> {
                s.index(config.aliasFor(tenant)).routing(tenant).size(q.size()).trackTotalHits(t -> t.enabled(true))
                        .query(b -> b.bool(bool -> bool.must(text).filter(filters)))
                        .sort(o -> o.score(sc -> sc.order(SortOrder.Desc)))
                        .sort(o -> o.field(f -> f.field("id").order(SortOrder.Asc)));
                if (after != null) {
                    s.searchAfter(after);
                }
                if (q.highlight()) {
                    // HTML-escaped: the text around the <em> tags is the document's, and pages render it.
                    s.highlight(h -> h.encoder(HighlighterEncoder.Html).fields("title", f -> f).fields("body", f -> f));
                }
                if (q.aggregations()) {
                    s.aggregations("tags", a -> a.terms(t -> t.field("tags").size(50)));
                    s.aggregations("months", a -> a.dateHistogram(d -> d.field("created")
                            .calendarInterval(CalendarInterval.Month).format("yyyy-MM").minDocCount(1)));
                }
                return s;
            }, SearchDocument.class));
            return toPage(r, q);
        } finally {
            metrics.inFlight.decrementAndGet();
            metrics.queryDuration.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private static SearchPage toPage(SearchResponse<SearchDocument> r, SearchQuery q) {
        List<SearchPage.Hit> hits = new ArrayList<>();
        List<FieldValue> last = List.of();
        for (Hit<SearchDocument> h : r.hits().hits()) {
            hits.add(new SearchPage.Hit(h.source(), h.score() == null ? 0 : h.score(), h.highlight()));
            last = h.sort();
        }
        Map<String, Long> tags = new LinkedHashMap<>();
        Map<String, Long> months = new LinkedHashMap<>();
        if (q.aggregations()) {
            r.aggregations().get("tags").sterms().buckets().array()
                    .forEach(b -> tags.put(b.key().stringValue(), b.docCount()));
            r.aggregations().get("months").dateHistogram().buckets().array()
                    .forEach(b -> months.put(b.keyAsString(), b.docCount()));
        }
        long total = r.hits().total() == null ? hits.size() : r.hits().total().value();
        return new SearchPage(total, hits, hits.size() < q.size() || last.isEmpty() ? null : SearchCursor.encode(last),
                tags, months);
    }

    /** A bulk writer; close it to flush. Failed documents reach {@code onFailure} with the reason. */
    public BulkWriter bulkWriter(Consumer<BulkFailure> onFailure) {
        return new BulkWriter(client, config::aliasFor, config.bulk(), metrics, observations, onFailure, this::written);
    }

    /** Makes recent writes searchable (tests and batch jobs). */
    public void refresh() {
        call("refresh", () -> client.indices().refresh(r -> r.index(config.aliases())));
    }

    /** Documents of a tenant. */
    public long count(String tenant) {
        DocumentIds.requireTenant(tenant);
        return call("count", () -> client.count(c -> c.index(config.aliasFor(tenant)).routing(tenant)
                .query(qq -> qq.term(t -> t.field("tenantId").value(tenant))))).count();
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    /** Through the {@code elasticsearch} policy: retried and counted by the breaker only for transient failures. */
    private <T> T call(String action, Call<T> call) {
        try {
            return policy.call(() -> {
                try {
                    return call.run();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (RuntimeException e) {
            throw SearchErrors.explain(action, config.username() == null ? "(api key)" : config.username(), e);
        }
    }
}
