package io.spaghetti.sdk.core.tracing;

import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.Map;

/**
 * Observation contexts whose trace context travels in a message's string headers (W3C {@code traceparent} and
 * {@code tracestate} with the usual tracers): a tracer's propagating handlers write them into the sender's map and
 * read them from the receiver's, so the receiving side's span is a child of the sender's, across processes.
 */
public final class TraceHeaders {
    private TraceHeaders() {
    }

    /** For a message being sent: the tracer adds its headers to {@code headers}, which must be mutable. */
    public static SenderContext<Map<String, String>> sending(Map<String, String> headers) {
        SenderContext<Map<String, String>> context = new SenderContext<>(Map::put);
        context.setCarrier(headers);
        return context;
    }

    /** For a message received with these headers (absent headers: a new trace). */
    public static ReceiverContext<Map<String, String>> receiving(Map<String, String> headers) {
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get);
        context.setCarrier(headers);
        return context;
    }
}
