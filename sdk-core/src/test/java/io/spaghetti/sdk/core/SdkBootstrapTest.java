package io.spaghetti.sdk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.internal.bootstrap.ModuleGraph;
import io.spaghetti.sdk.core.internal.bootstrap.SdkThreads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SdkBootstrapTest {

    private static SdkConfig config(String yaml) {
        return SdkConfig.loader().yaml("test.yaml", "redis:\n  enabled: false\n" + yaml)
                .environment(Map.of()).systemProperties(new Properties())
                .section(ConfigSection.of("secta", TestModule.Settings.class))
                .section(ConfigSection.of("sectb", TestModule.Settings.class))
                .load();
    }

    private static Sdk start(String yaml, List<? extends SdkModule> modules) {
        return Sdk.builder().config(config(yaml)).meterRegistry(new SimpleMeterRegistry()).modules(modules)
                .startRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
    }

    @Test
    void modulesStartAfterTheirDependenciesAndCloseInReverse() {
        List<String> journal = TestModule.journal();
        TestModule c = new TestModule("c", Set.of("b"), journal, 0);
        TestModule a = new TestModule("a", Set.of(), journal, 0);
        TestModule b = new TestModule("b", Set.of("a"), journal, 0);
        Sdk sdk = start("", List.of(c, a, b));
        sdk.close();
        assertThat(journal).containsExactly("start a", "start b", "start c", "close c", "close b", "close a");
    }

    @Test
    void orderingErrorsNameTheModules() {
        List<String> j = TestModule.journal();
        assertThatThrownBy(() -> ModuleGraph.order(List.of(new TestModule("a", Set.of("b"), j, 0),
                new TestModule("b", Set.of("a"), j, 0))))
                .isInstanceOf(SdkStartupException.class).hasMessageContaining("cycle: a -> b -> a");
        assertThatThrownBy(() -> ModuleGraph.order(List.of(new TestModule("a", Set.of("search"), j, 0))))
                .isInstanceOf(SdkStartupException.class)
                .hasMessageContaining("module 'a' needs module 'search', which is not on the classpath");
        assertThatThrownBy(() -> ModuleGraph.order(List.of(new TestModule("a", Set.of(), j, 0),
                new TestModule("a", Set.of(), j, 0))))
                .isInstanceOf(SdkStartupException.class).hasMessageContaining("two modules are named 'a'");
    }

    @Test
    void requiredModuleThatCannotStartFailsStartUpAndReleasesTheOthers() {
        List<String> journal = TestModule.journal();
        TestModule first = new TestModule("a", Set.of(), journal, 0);
        TestModule broken = new TestModule("secta", Set.of("a"), journal, 1);
        assertThatThrownBy(() -> start("secta:\n  required: true\n", List.of(first, broken)))
                .isInstanceOf(SdkStartupException.class)
                .hasMessageContaining("Required module 'secta' could not start: secta backend unreachable")
                .hasMessageContaining("secta.required: false");
        // The module whose start failed is closed too: it releases whatever it created before failing.
        assertThat(journal).containsExactly("start a", "close secta", "close a");
        assertThat(sdkThreads()).isEmpty();
    }

    @Test
    void optionalModuleStartsDegradedAndRetriesInTheBackground() {
        TestModule flaky = new TestModule("secta", Set.of(), TestModule.journal(), 3);
        try (Sdk sdk = start("", List.of(flaky))) {
            HealthReport first = sdk.checkHealth();
            assertThat(first.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(first.module("secta").reason()).contains("secta backend unreachable", "retrying");
            await().atMost(Duration.ofSeconds(10)).until(() -> sdk.checkHealth().status() == HealthStatus.UP);
            assertThat(flaky.starts.get()).isEqualTo(4);
        }
    }

    @Test
    void eachBackgroundStartAttemptIsASpanSoItsLogLinesCarryATrace() {
        List<String> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.micrometer.observation.ObservationRegistry registry = io.micrometer.observation.ObservationRegistry.create();
        registry.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {
            @Override
            public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(io.micrometer.observation.Observation.Context c) {
                attempts.add(c.getName() + " " + c.getLowCardinalityKeyValue("module").getValue() + " "
                        + (c.getError() == null ? "ok" : "failed"));
            }
        });
        TestModule flaky = new TestModule("secta", Set.of(), TestModule.journal(), 2);
        try (Sdk sdk = Sdk.builder().config(config("")).meterRegistry(new SimpleMeterRegistry())
                .observationRegistry(registry, null).modules(List.of(flaky))
                .startRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sdk.checkHealth().status() == HealthStatus.UP);
        }
        // the first attempt is the synchronous start; the background ones are spans
        assertThat(attempts).containsExactly("spaghetti.module.start secta failed", "spaghetti.module.start secta ok");
    }

    @Test
    void disabledModuleIsNotStartedAndReportsDisabled() {
        TestModule off = new TestModule("sectb", Set.of(), TestModule.journal(), 0);
        try (Sdk sdk = start("sectb:\n  enabled: false\n", List.of(off))) {
            HealthReport h = sdk.checkHealth();
            assertThat(h.module("sectb").status()).isEqualTo(HealthStatus.DISABLED);
            assertThat(h.status()).isEqualTo(HealthStatus.UP);
            assertThat(off.starts.get()).isZero();
        }
    }

    @Test
    void healthReportsEachModuleWithLatencyAsJson() {
        try (Sdk sdk = start("", List.of(new TestModule("a", Set.of(), TestModule.journal(), 0)))) {
            HealthReport h = sdk.checkHealth();
            assertThat(h.module("a").latency()).isPositive();
            assertThat(h.toJson()).contains("\"status\" : \"UP\"", "\"a\"", "\"latencyMs\"", "\"starts\" : 1");
        }
    }

    @Test
    void typedAccessToModulesAndAClearErrorForAMissingOne() {
        TestModule a = new TestModule("a", Set.of(), TestModule.journal(), 0);
        try (Sdk sdk = start("", List.of(a))) {
            assertThat(sdk.module(TestModule.class)).isSameAs(a);
            assertThatThrownBy(() -> sdk.module(io.spaghetti.sdk.core.redis.RedisModule.class))
                    .hasMessageContaining("RedisModule is not on the classpath");
        }
    }

    @Test
    void metricsCarryCommonTagsAndModuleStatus() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SdkConfig c = config("service:\n  name: doc-service\n  environment: prod\n  instance: pod-1\n");
        try (Sdk sdk = Sdk.builder().config(c).meterRegistry(registry)
                .modules(List.of(new TestModule("a", Set.of(), TestModule.journal(), 0))).build()) {
            var gauge = registry.get("spaghetti.sdk.module.status").tag("module", "a").gauge();
            assertThat(gauge.value()).isEqualTo(1.0);
            assertThat(gauge.getId().getTag("service")).isEqualTo("doc-service");
            assertThat(gauge.getId().getTag("environment")).isEqualTo("prod");
            assertThat(gauge.getId().getTag("instance")).isEqualTo("pod-1");
        }
    }

    @Test
    void closeLeavesNoSdkThread() {
        TestModule flaky = new TestModule("secta", Set.of(), TestModule.journal(), 1000);
        Sdk sdk = start("", List.of(flaky, new TestModule("a", Set.of(), TestModule.journal(), 0)));
        assertThat(sdkThreads()).isNotEmpty();
        sdk.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> sdkThreads().isEmpty());
        int attempts = flaky.starts.get();
        assertThat(sdk.checkHealth().module("secta").status()).isEqualTo(HealthStatus.DOWN);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> flaky.starts.get() == attempts);
    }

    static List<String> sdkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(SdkThreads.PREFIX)).toList();
    }
}
