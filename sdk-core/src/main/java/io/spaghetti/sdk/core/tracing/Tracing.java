package io.spaghetti.sdk.core.tracing;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Tracer;
import java.util.List;

/**
 * A started trace exporter, from a {@link TracingProvider}: the handlers that turn the SDK's observations into
 * spans, the tracer that knows the current span (for exemplars and log lines), closed with the SDK.
 */
public interface Tracing extends AutoCloseable {
    Tracer tracer();

    /** Registered, in order, on the SDK's observation registry. */
    List<ObservationHandler<? extends Observation.Context>> handlers();

    /** Sends what is buffered and stops. */
    @Override
    void close();
}
