package io.spaghetti.sdk.search.internal;

import co.elastic.clients.transport.Endpoint;
import co.elastic.clients.transport.TransportOptions;
import co.elastic.clients.transport.http.TransportHttpClient;
import co.elastic.clients.transport.instrumentation.Instrumentation;
import co.elastic.clients.transport.instrumentation.NoopInstrumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * elasticsearch-java's own request instrumentation on Micrometer Observation, so the client's span of each API call
 * ({@code elasticsearch.request}, named for the endpoint: {@code search}, {@code bulk}, ...) is a child of the SDK
 * operation that made it, whatever tracer the application runs. (The client's bundled OpenTelemetry instrumentation
 * needs an OpenTelemetry SDK and sees no Micrometer span as its parent.) Tags follow OpenTelemetry's database
 * conventions: {@code db.system}, {@code db.operation}, {@code http.request.method}, {@code http.response.status_code}.
 */
public final class ObservationInstrumentation implements Instrumentation {
    public static final String NAME = "elasticsearch.request";

    private final ObservationRegistry registry;
    /** Bulk flushes run by the client's ingester: their requests' parent, since no scope spans the ingester's call. */
    private final Map<Object, Observation> parents = Collections.synchronizedMap(new IdentityHashMap<>());

    public ObservationInstrumentation(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** The instrumentation for this registry: the client's no-op one when nothing listens. */
    public static Instrumentation of(ObservationRegistry registry) {
        return registry.isNoop() ? NoopInstrumentation.INSTANCE : new ObservationInstrumentation(registry);
    }

    /** Requests built for {@code request} (a bulk request being flushed) become children of {@code parent}. */
    public void parent(Object request, Observation parent) {
        parents.put(request, parent);
    }

    public void forget(Object request) {
        parents.remove(request);
    }

    @Override
    public <TRequest> Instrumentation.Context newContext(TRequest request, Endpoint<TRequest, ?, ?> endpoint) {
        Observation o = Observation.createNotStarted(NAME, registry).contextualName(endpoint.id())
                .lowCardinalityKeyValue("db.system", "elasticsearch")
                .lowCardinalityKeyValue("db.operation", endpoint.id());
        Observation parent = parents.get(request);
        if (parent != null) {
            o.parentObservation(parent);
        }
        return new RequestContext(o.start());
    }

    private static final class RequestContext implements Instrumentation.Context {
        private final Observation observation;

        RequestContext(Observation observation) {
            this.observation = observation;
        }

        @Override
        public Instrumentation.ThreadScope makeCurrent() {
            Observation.Scope scope = observation.openScope();
            return scope::close;
        }

        @Override
        public void beforeSendingHttpRequest(TransportHttpClient.Request request, TransportOptions options) {
            observation.lowCardinalityKeyValue("http.request.method", request.method())
                    .highCardinalityKeyValue("url.path", request.path());
        }

        @Override
        public void afterReceivingHttpResponse(TransportHttpClient.Response response) {
            observation.lowCardinalityKeyValue("http.response.status_code", Integer.toString(response.statusCode()));
        }

        @Override
        public <TResponse> void afterDecodingApiResponse(TResponse response) {
        }

        @Override
        public void recordException(Throwable failure) {
            observation.error(failure);
        }

        @Override
        public void close() {
            observation.stop();
        }
    }
}
