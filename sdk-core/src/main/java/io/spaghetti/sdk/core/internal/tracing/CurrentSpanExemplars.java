package io.spaghetti.sdk.core.internal.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * The current span as Prometheus sees it: a histogram recorded inside a sampled span keeps that span's trace id as
 * the bucket's exemplar, so a dashboard links a slow bucket to its trace.
 */
public final class CurrentSpanExemplars implements SpanContext {
    private final Tracer tracer;

    public CurrentSpanExemplars(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public String getCurrentTraceId() {
        TraceContext c = current();
        return c == null ? null : c.traceId();
    }

    @Override
    public String getCurrentSpanId() {
        TraceContext c = current();
        return c == null ? null : c.spanId();
    }

    @Override
    public boolean isCurrentSpanSampled() {
        TraceContext c = current();
        return c != null && Boolean.TRUE.equals(c.sampled());
    }

    @Override
    public void markCurrentSpanAsExemplar() {
        // Every span is exported when sampled: nothing to mark.
    }

    private TraceContext current() {
        Span span = tracer.currentSpan();
        return span == null ? null : span.context();
    }
}
