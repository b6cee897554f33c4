package io.spaghetti.sdk.core.tracing;

import io.spaghetti.sdk.core.config.ServiceConfig;

/**
 * Starts a trace exporter for the SDK's own observation registry when section {@code tracing} configures one and
 * the application handed the SDK no registry. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.spaghetti.sdk.core.tracing.TracingProvider}); {@code sdk-tracing} provides one.
 */
public interface TracingProvider {
    Tracing start(TracingConfig config, ServiceConfig service);
}
