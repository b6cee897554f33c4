package io.spaghetti.sdk.tracing;

import brave.context.slf4j.MDCScopeDecorator;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.sampler.Sampler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.spaghetti.sdk.core.config.ServiceConfig;
import io.spaghetti.sdk.core.tracing.Tracing;
import io.spaghetti.sdk.core.tracing.TracingConfig;
import io.spaghetti.sdk.core.tracing.TracingProvider;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Traces to Zipkin: Brave behind Micrometer Tracing, W3C {@code traceparent}/{@code tracestate} propagation (what
 * .NET and the OpenTelemetry SDKs send), spans batched and posted in the background, and {@code traceId} and
 * {@code spanId} in the SLF4J MDC while a span is current on a thread.
 */
public final class ZipkinTracingProvider implements TracingProvider {
    private static final Logger log = LoggerFactory.getLogger(ZipkinTracingProvider.class);
    /** The span tag naming the SDK instance ({@code service.instance}), OpenTelemetry's resource attribute name. */
    public static final String INSTANCE_TAG = "service.instance.id";

    @Override
    public Tracing start(TracingConfig config, ServiceConfig service) {
        URLConnectionSender sender = URLConnectionSender.create(config.zipkin().endpoint().trim());
        AsyncZipkinSpanHandler spans = AsyncZipkinSpanHandler.create(sender);
        ThreadLocalCurrentTraceContext current = ThreadLocalCurrentTraceContext.newBuilder()
                .addScopeDecorator(MDCScopeDecorator.get()).build();
        brave.Tracing tracing = brave.Tracing.newBuilder()
                .localServiceName(service.name())
                .traceId128Bit(true)
                .currentTraceContext(current)
                .propagationFactory(new W3CPropagation())
                .sampler(Sampler.create((float) config.sampleProbability()))
                .addSpanHandler(new InstanceTag(service.instance()))
                .addSpanHandler(spans)
                .build();
        Tracer tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(current), new BraveBaggageManager());
        Propagator propagator = new BravePropagator(tracing);
        log.info("Tracing to Zipkin at {} (sampling {})", sender, config.sampleProbability());
        return new Started(tracer, List.of(new FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer))), tracing, spans, sender);
    }

    /** Tags every span with the process it came from (Zipkin knows only the service name). */
    private static final class InstanceTag extends SpanHandler {
        private final String instance;

        InstanceTag(String instance) {
            this.instance = instance;
        }

        @Override
        public boolean end(TraceContext context, MutableSpan span, Cause cause) {
            span.tag(INSTANCE_TAG, instance);
            return true;
        }
    }

    private record Started(Tracer tracer, List<ObservationHandler<? extends Observation.Context>> handlers,
            brave.Tracing brave, AsyncZipkinSpanHandler spans, URLConnectionSender sender) implements Tracing {
        @Override
        public void close() {
            brave.close();
            spans.flush();
            spans.close();
            sender.close();
        }
    }
}
