package io.spaghetti.example;

import io.javalin.http.Context;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.core.tracing.TraceHeaders;
import java.util.HashMap;
import java.util.Map;

/**
 * Each request as the span {@code http.server.requests}, continuing the caller's W3C trace context when it sends
 * {@code traceparent}: what the SDK does for the request (cache reads, searches, key calls, sends) is its child.
 * Scrapes, health checks and event streams (which outlive their handler) are not traced.
 */
final class RequestTracing {
    private static final String OBSERVATION = "spaghetti.example.observation";
    private static final String SCOPE = "spaghetti.example.scope";

    private final ObservationRegistry registry;

    RequestTracing(ObservationRegistry registry) {
        this.registry = registry;
    }

    void before(Context ctx) {
        if (registry.isNoop() || untraced(ctx.path())) {
            return;
        }
        Map<String, String> headers = new HashMap<>(4);
        for (String name : new String[] {"traceparent", "tracestate"}) {
            String value = ctx.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        Observation o = Observation.createNotStarted("http.server.requests", () -> TraceHeaders.receiving(headers),
                registry).contextualName("http " + ctx.method().name().toLowerCase(java.util.Locale.ROOT))
                .lowCardinalityKeyValue("method", ctx.method().name()).start();
        ctx.attribute(OBSERVATION, o);
        ctx.attribute(SCOPE, o.openScope());
    }

    void after(Context ctx) {
        Observation o = ctx.attribute(OBSERVATION);
        if (o == null) {
            return;
        }
        Observation.Scope scope = ctx.attribute(SCOPE);
        io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        String route = matched == null ? "unmatched" : matched.path;
        o.contextualName(ctx.method().name() + " " + route)
                .lowCardinalityKeyValue("uri", route)
                .lowCardinalityKeyValue("status", Integer.toString(ctx.statusCode()));
        scope.close();
        o.stop();
    }

    private static boolean untraced(String path) {
        return path.equals("/metrics") || path.equals("/health") || path.endsWith("/events");
    }
}
