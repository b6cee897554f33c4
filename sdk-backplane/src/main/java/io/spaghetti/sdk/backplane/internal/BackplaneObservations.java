package io.spaghetti.sdk.backplane.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.core.tracing.TraceHeaders;
import java.util.HashMap;
import java.util.Map;

/**
 * The backplane's observations: {@code spaghetti.backplane.publish} and, on every server that receives the message,
 * {@code spaghetti.backplane.delivery} (tags {@code hub}, {@code kind}; the publish also {@code target}). The sender's W3C
 * {@code traceparent} and {@code tracestate} travel as headers of the SignalR invocation itself, the names .NET 9's
 * SignalR uses for hub invocation tracing, so a delivery span on any server (.NET ones included) is a child of the
 * span that sent it.
 */
final class BackplaneObservations {
    static final String PUBLISH = "spaghetti.backplane.publish";
    static final String DELIVERY = "spaghetti.backplane.delivery";
    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";

    private final ObservationRegistry registry;

    BackplaneObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    boolean off() {
        return registry.isNoop();
    }

    /** Not started; once started, {@code headers} holds the trace context to send. */
    Observation publish(String hub, String kind, String target, Map<String, String> headers) {
        return Observation.createNotStarted(PUBLISH, () -> TraceHeaders.sending(headers), registry)
                .contextualName("backplane publish " + target)
                .lowCardinalityKeyValue("hub", hub).lowCardinalityKeyValue("kind", kind)
                .lowCardinalityKeyValue("target", target);
    }

    /** A received invocation whose first frame carried {@code traceparent}/{@code tracestate} (or none). */
    Observation delivery(String hub, String kind, String traceparent, String tracestate) {
        Map<String, String> headers = new HashMap<>(4);
        if (traceparent != null) {
            headers.put(TRACEPARENT, traceparent);
            if (tracestate != null) {
                headers.put(TRACESTATE, tracestate);
            }
        }
        return Observation.createNotStarted(DELIVERY, () -> TraceHeaders.receiving(headers), registry)
                .contextualName("backplane delivery " + kind)
                .lowCardinalityKeyValue("hub", hub).lowCardinalityKeyValue("kind", kind);
    }
}
