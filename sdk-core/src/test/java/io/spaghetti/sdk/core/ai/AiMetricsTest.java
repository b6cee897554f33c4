package io.spaghetti.sdk.core.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AiMetricsTest {

    @Test
    void recordsLatencyTokensCostErrorsAndQueueLength() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        AiMetrics ai = new AiMetrics(r);
        ai.recordCall("OpenAI", "gpt-4o", Duration.ofMillis(800), 1200, 300, 0.02);
        ai.recordCall("openai", "gpt-4o", Duration.ofMillis(1200), 100, 50, 0.01);
        ai.recordError("openai", "gpt-4o", "timeout", Duration.ofSeconds(30));
        ai.queueLength(new AtomicInteger(42)::get);
        System.gc();

        assertThat(r.get("ai.request.duration").tags("provider", "openai", "outcome", "success").timer().count())
                .isEqualTo(2);
        assertThat(r.get("ai.tokens").tags("direction", "in").counter().count()).isEqualTo(1300);
        assertThat(r.get("ai.tokens").tags("direction", "out").counter().count()).isEqualTo(350);
        assertThat(r.get("ai.request.cost").summary().totalAmount()).isEqualTo(0.03, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.get("ai.errors").tags("provider", "openai", "type", "timeout").counter().count()).isEqualTo(1);
        assertThat(r.get("ai.queue.length").gauge().value()).isEqualTo(42);
    }

    @Test
    void tagValuesAreBounded() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        AiMetrics ai = new AiMetrics(r);
        for (int i = 0; i < 100; i++) {
            ai.recordCall("provider", "model-" + i, Duration.ofMillis(1), 1, 1, 0);
        }
        assertThat(r.get("ai.request.duration").timers()).hasSize(AiMetrics.MAX_VALUES + 1);
        assertThat(r.get("ai.request.duration").tag("model", "other").timer().count()).isEqualTo(100 - AiMetrics.MAX_VALUES);
    }

    @Test
    void theBoundHoldsUnderConcurrentFirstSightings() throws Exception {
        for (int round = 0; round < 20; round++) {
            SimpleMeterRegistry r = new SimpleMeterRegistry();
            AiMetrics ai = new AiMetrics(r);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<Thread> threads = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 10; i++) {
                        ai.recordCall("provider", "model-" + id + "-" + i, Duration.ofMillis(1), 1, 1, 0);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(r.get("ai.request.duration").timers()).hasSizeLessThanOrEqualTo(AiMetrics.MAX_VALUES + 1);
        }
    }
}
