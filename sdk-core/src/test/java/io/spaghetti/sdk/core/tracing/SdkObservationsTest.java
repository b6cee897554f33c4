package io.spaghetti.sdk.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.SdkStartupException;
import io.spaghetti.sdk.core.ai.AiAnswer;
import io.spaghetti.sdk.core.ai.AiRequest;
import io.spaghetti.sdk.core.cache.CacheModule;
import io.spaghetti.sdk.core.cache.TieredCache;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.SdkConfigException;
import io.spaghetti.sdk.core.redis.RedisModule;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the SDK reports to an application's ObservationRegistry, and how section tracing is checked. */
class SdkObservationsTest {
    /** Each stopped observation as "name tag=value,...", in stop order. */
    private final List<String> stopped = new CopyOnWriteArrayList<>();
    private final List<String> parents = new CopyOnWriteArrayList<>();

    private ObservationRegistry recording() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context c) {
                stopped.add(c.getName() + " " + c.getLowCardinalityKeyValues().stream()
                        .map(kv -> kv.getKey() + "=" + kv.getValue()).sorted().toList());
                parents.add(c.getName() + " <- " + (c.getParentObservation() == null ? "none"
                        : c.getParentObservation().getContextView().getName()));
            }
        });
        return registry;
    }

    private static SdkConfig l1Only(String yaml) {
        return SdkConfig.loader().yaml("t", "redis:\n  enabled: false\n" + yaml).environment(Map.of())
                .systemProperties(new Properties()).load();
    }

    @Test
    void cacheReadsSayWhichTierAnsweredOnTheApplicationsRegistry() {
        ObservationRegistry registry = recording();
        try (Sdk sdk = Sdk.builder().config(l1Only("")).observationRegistry(registry, null)
                .modules(List.of(new RedisModule(), new CacheModule())).build()) {
            assertThat(sdk.observationRegistry()).isSameAs(registry);
            TieredCache<String> cache = sdk.cache().cache("docs", String.class);
            cache.get("k", k -> "v");
            cache.get("k", k -> "v");
        }
        assertThat(stopped).containsExactly(
                "spaghetti.cache.get [cache=docs, outcome=miss, tier=loader]",
                "spaghetti.cache.get [cache=docs, outcome=hit, tier=l1]");
    }

    @Test
    void aiCallsAreSpansInsideTheCacheRead() {
        ObservationRegistry registry = recording();
        try (Sdk sdk = Sdk.builder().config(l1Only("")).observationRegistry(registry, null)
                .modules(List.of(new RedisModule(), new CacheModule())).build()) {
            sdk.aiCache().answer(AiRequest.of("openai", "gpt-4o", "hello"), r -> new AiAnswer("hi", 1, 1, 0.001));
        }
        assertThat(stopped.get(0)).isEqualTo("spaghetti.ai.call [model=gpt-4o, provider=openai]");
        assertThat(parents).contains("spaghetti.ai.call <- spaghetti.cache.get");
    }

    @Test
    void aRemoteCallRunsWithItsCallersObservationOnThePolicyThread() throws Exception {
        ObservationRegistry registry = recording();
        try (Sdk sdk = Sdk.builder().config(l1Only("")).observationRegistry(registry, null)
                .modules(List.of(new RedisModule(), new CacheModule())).build()) {
            Observation request = Observation.start("request", registry);
            CompletableFuture<String> seen = new CompletableFuture<>();
            try (Observation.Scope ignored = request.openScope()) {
                sdk.resilience().policy("test").call(() -> {
                    Observation current = registry.getCurrentObservation();
                    seen.complete(current == null ? "none" : current.getContextView().getName());
                    return null;
                });
            } finally {
                request.stop();
            }
            assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("request");
        }
    }

    @Test
    void withoutARegistryTheSdksOwnHasNoHandlersAndCostsANoopCheck() {
        try (Sdk sdk = Sdk.builder().config(l1Only("")).modules(List.of(new RedisModule(), new CacheModule())).build()) {
            assertThat(sdk.observationRegistry().isNoop()).isTrue();
            assertThat(sdk.tracer()).isSameAs(io.micrometer.tracing.Tracer.NOOP);
        }
    }

    @Test
    void anEndpointWithoutAnExporterOnTheClasspathNamesTheDependencyToAdd() {
        SdkConfig config = l1Only("tracing:\n  zipkin:\n    endpoint: http://127.0.0.1:9411/api/v2/spans\n");
        assertThatThrownBy(() -> Sdk.builder().config(config).modules(List.of()).build())
                .isInstanceOf(SdkStartupException.class).hasMessageContaining("add the sdk-tracing dependency");
    }

    @Test
    void badTracingSettingsAreConfigErrorsWithTheFix() {
        assertThatThrownBy(() -> l1Only("tracing:\n  sampleProbability: 1.5\n  zipkin:\n    endpoint: localhost:9411\n"))
                .isInstanceOf(SdkConfigException.class)
                .hasMessageContaining("tracing.sampleProbability").hasMessageContaining("between 0.0 and 1.0")
                .hasMessageContaining("tracing.zipkin.endpoint").hasMessageContaining("is not an http(s) URL");
    }
}
