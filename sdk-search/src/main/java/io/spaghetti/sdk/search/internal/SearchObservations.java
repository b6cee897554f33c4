package io.spaghetti.sdk.search.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.function.Supplier;

/**
 * sdk-search's observations: {@code spaghetti.search.query} and {@code spaghetti.search.index} (tag
 * {@code tenant_class}) and {@code spaghetti.search.bulk.flush}; the client's {@code elasticsearch.request} spans
 * (from {@link ObservationInstrumentation}) are their children.
 */
public final class SearchObservations {
    public static final String QUERY = "spaghetti.search.query";
    public static final String INDEX = "spaghetti.search.index";
    public static final String BULK_FLUSH = "spaghetti.search.bulk.flush";

    private final ObservationRegistry registry;
    private final ObservationInstrumentation client;

    /** {@code client}: the instrumentation of the SDK-built client, or null for an application's own client. */
    public SearchObservations(ObservationRegistry registry, ObservationInstrumentation client) {
        this.registry = registry;
        this.client = client;
    }

    public <T> T query(String tenantClass, Supplier<T> search) {
        return observe(Observation.createNotStarted(QUERY, registry).contextualName("search query")
                .lowCardinalityKeyValue("tenant_class", tenantClass), search);
    }

    public <T> T index(String tenantClass, Supplier<T> write) {
        return observe(Observation.createNotStarted(INDEX, registry).contextualName("search index")
                .lowCardinalityKeyValue("tenant_class", tenantClass), write);
    }

    /** A flush of the bulk ingester, started before the request and stopped when its response (or failure) is in. */
    public Observation bulkFlushStarted(Object request, int documents) {
        Observation flush = Observation.createNotStarted(BULK_FLUSH, registry).contextualName("search bulk flush")
                .highCardinalityKeyValue("documents", Integer.toString(documents)).start();
        if (client != null) {
            client.parent(request, flush);
        }
        return flush;
    }

    public void bulkFlushEnded(Object request, Observation flush, Throwable failure) {
        if (client != null) {
            client.forget(request);
        }
        if (failure != null) {
            flush.error(failure);
        }
        flush.stop();
    }

    private static <T> T observe(Observation o, Supplier<T> work) {
        if (o.isNoop()) {
            return work.get();
        }
        return o.observe(work);
    }
}
