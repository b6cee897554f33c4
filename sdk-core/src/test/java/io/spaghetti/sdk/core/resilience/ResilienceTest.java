package io.spaghetti.sdk.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.config.SdkConfig;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResilienceTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Resilience resilience = new Resilience(SdkConfig.defaults().resilience(), new SimpleMeterRegistry(),
            scheduler);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static int attempts(RemotePolicy policy, RuntimeException failure) {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> policy.call(() -> {
            attempts.incrementAndGet();
            throw failure;
        })).isSameAs(failure);
        return attempts.get();
    }

    @Test
    void rulesGivenAfterAPlainRequestForTheSameNameApply() {
        RemotePolicy first = resilience.policy("key-vault");
        assertThat(attempts(first, new IllegalArgumentException("not found"))).isEqualTo(3);

        RemotePolicy withRules = resilience.policy("key-vault", t -> t instanceof IllegalStateException, t -> false,
                t -> null);
        assertThat(withRules).isSameAs(first);
        assertThat(attempts(first, new IllegalArgumentException("not found"))).as("not retried any more").isEqualTo(1);
        assertThat(attempts(first, new IllegalStateException("throttled"))).isEqualTo(3);

        resilience.policy("key-vault");
        assertThat(attempts(first, new IllegalArgumentException("not found"))).as("a plain request keeps them")
                .isEqualTo(1);
    }

    @Test
    void onlyFailuresTheRulesRecordCountAgainstTheBreaker() {
        RemotePolicy policy = resilience.policy("search", t -> t instanceof IllegalStateException);
        for (int i = 0; i < 20; i++) {
            attempts(policy, new IllegalArgumentException("404"));
        }
        assertThat(policy.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void aBlockingCallThatHangsReleasesItsCallerAtThePolicyTimeout() {
        SdkConfig config = SdkConfig.loader().yaml("t", "resilience:\n  dependencies:\n    slow:\n      timeout: 200ms\n"
                + "      retry:\n        maxAttempts: 2\n        initialBackoff: 10ms\n")
                .environment(java.util.Map.of()).systemProperties(new java.util.Properties()).load();
        Resilience r = new Resilience(config.resilience(), new SimpleMeterRegistry(), scheduler);
        try {
            RemotePolicy slow = r.policy("slow");
            AtomicInteger attempts = new AtomicInteger();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> slow.call(() -> {
                attempts.incrementAndGet();
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "late";
            })).isInstanceOf(RemoteTimeoutException.class).hasMessageContaining("slow did not answer within PT0.2S")
                    .hasMessageContaining("resilience.dependencies.slow.timeout");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(attempts).hasValue(2);
            assertThat(ms).as("two attempts of 200 ms, not 30 s").isLessThan(5_000);
            assertThat(slow.call(() -> "fast")).isEqualTo("fast");
        } finally {
            r.close();
        }
    }
}
