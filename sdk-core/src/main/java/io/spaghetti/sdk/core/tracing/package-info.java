/**
 * Tracing of SDK operations: every module reports its operations as Micrometer
 * {@link io.micrometer.observation.Observation}s on the registry of {@link io.spaghetti.sdk.core.ModuleContext};
 * {@link io.spaghetti.sdk.core.tracing.TracingProvider} exports them when the application brings no tracing of its own.
 * {@link io.spaghetti.sdk.core.tracing.TraceHeaders} carries the W3C trace context inside messages.
 */
package io.spaghetti.sdk.core.tracing;
