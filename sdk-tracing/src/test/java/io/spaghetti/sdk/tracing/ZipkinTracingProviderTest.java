package io.spaghetti.sdk.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.tracing.TraceHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The SDK's own tracing when section tracing names a Zipkin endpoint (TracingIT sends to the real one). */
class ZipkinTracingProviderTest {
    private static Sdk tracedSdk() {
        // nothing listens on port 9: spans are dropped by the reporter, which is all a unit test needs
        SdkConfig config = SdkConfig.loader().yaml("t", """
                redis:
                  enabled: false
                tracing:
                  zipkin:
                    endpoint: http://127.0.0.1:9/api/v2/spans
                """).environment(Map.of()).systemProperties(new Properties()).load();
        return Sdk.builder().config(config).modules(List.of()).build();
    }

    @Test
    void aSentMessageCarriesW3cTraceContextAndTheReceiverContinuesTheTrace() {
        try (Sdk sdk = tracedSdk()) {
            ObservationRegistry registry = sdk.observationRegistry();
            assertThat(registry.isNoop()).isFalse();
            Map<String, String> headers = new HashMap<>();
            Observation send = Observation.createNotStarted("send", () -> TraceHeaders.sending(headers), registry)
                    .start();
            String sentTrace;
            try (Observation.Scope ignored = send.openScope()) {
                sentTrace = sdk.tracer().currentSpan().context().traceId();
            } finally {
                send.stop();
            }
            assertThat(headers.get("traceparent")).matches("00-" + sentTrace + "-[0-9a-f]{16}-01");

            Observation receive = Observation.createNotStarted("receive", () -> TraceHeaders.receiving(headers),
                    registry).start();
            try (Observation.Scope ignored = receive.openScope()) {
                assertThat(sdk.tracer().currentSpan().context().traceId()).isEqualTo(sentTrace);
                assertThat(MDC.get("traceId")).isEqualTo(sentTrace);
            } finally {
                receive.stop();
            }
            assertThat(MDC.get("traceId")).isNull();
        }
    }

    @Test
    void aMessageWithoutHeadersStartsANewTrace() {
        try (Sdk sdk = tracedSdk()) {
            Observation receive = Observation.createNotStarted("receive", () -> TraceHeaders.receiving(Map.of()),
                    sdk.observationRegistry()).start();
            try (Observation.Scope ignored = receive.openScope()) {
                assertThat(sdk.tracer().currentSpan().context().traceId()).hasSize(32);
            } finally {
                receive.stop();
            }
        }
    }
}
