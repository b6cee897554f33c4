package io.spaghetti.sdk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.config.SdkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The scheduler keeps time; what blocks runs on the bounded pool, so it never holds up a timer. */
class ExecutionModelTest {

    private static Sdk start(SdkModule... modules) {
        SdkConfig config = SdkConfig.loader().yaml("test.yaml", "redis:\n  enabled: false\n")
                .environment(Map.of()).systemProperties(new Properties()).load();
        return Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry()).modules(List.of(modules))
                .startRetryBackoff(Duration.ofMillis(20), Duration.ofMillis(50)).build();
    }

    /** Fails its first start, then blocks in the retry until released. */
    private static final class SlowToStart implements SdkModule {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch retrying = new CountDownLatch(1);
        final AtomicInteger starts = new AtomicInteger();
        final AtomicReference<String> retryThread = new AtomicReference<>();

        @Override
        public String name() {
            return "slow";
        }

        @Override
        public void start(ModuleContext context) throws Exception {
            if (starts.incrementAndGet() == 1) {
                throw new IllegalStateException("backend unreachable");
            }
            retryThread.set(Thread.currentThread().getName());
            retrying.countDown();
            release.await();
        }

        @Override
        public Health health() {
            return Health.up(Map.of());
        }

        @Override
        public void close() {
            release.countDown();
        }
    }

    /** Ticks on the scheduler from its start. */
    private static final class Ticking implements SdkModule {
        final AtomicInteger ticks = new AtomicInteger();
        ModuleContext context;
        java.util.concurrent.ScheduledFuture<?> ticker;

        @Override
        public String name() {
            return "ticking";
        }

        @Override
        public void start(ModuleContext context) {
            this.context = context;
            ticker = context.scheduler().scheduleAtFixedRate(ticks::incrementAndGet, 10, 10, TimeUnit.MILLISECONDS);
        }

        @Override
        public Health health() {
            return Health.up(Map.of());
        }

        @Override
        public void close() {
            ticker.cancel(false);
        }
    }

    @Test
    void aBackgroundStartThatBlocksRunsOnTheBlockingPoolAndHoldsUpNoTimer() throws Exception {
        SlowToStart slow = new SlowToStart();
        Ticking ticking = new Ticking();
        try (Sdk sdk = start(slow, ticking)) {
            assertThat(slow.retrying.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(slow.retryThread.get()).startsWith("spaghetti-sdk-blocking-");
            int before = ticking.ticks.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> ticking.ticks.get() >= before + 20);
            slow.release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> sdk.checkHealth().status() == HealthStatus.UP);
        }
    }

    @Test
    void aBlockingJobNeverOverlapsItselfAndGoesOnAfterAFailedRun() {
        Ticking ticking = new Ticking();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        try (Sdk sdk = start(ticking)) {
            java.util.concurrent.ScheduledFuture<?> job = ticking.context.scheduleBlocking("test job", Duration.ofMillis(10), () -> {
                int now = running.incrementAndGet();
                mostAtOnce.accumulateAndGet(now, Math::max);
                try {
                    if (runs.incrementAndGet() == 2) {
                        throw new IllegalStateException("one run fails");
                    }
                    Thread.sleep(50); // five periods
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 6);
            job.cancel(false);
        }
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void theBlockingPoolIsBoundedAndStopsWithTheSdk() throws Exception {
        Ticking ticking = new Ticking();
        CountDownLatch hold = new CountDownLatch(1);
        int refused = 0;
        try (Sdk sdk = start(ticking)) {
            java.util.concurrent.ExecutorService pool = ticking.context.blockingExecutor();
            for (int i = 0; i < 8 + 256 + 10; i++) {
                try {
                    pool.execute(() -> {
                        try {
                            hold.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    refused++;
                }
            }
        } finally {
            hold.countDown();
        }
        assertThat(refused).isEqualTo(10);
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("spaghetti-sdk-blocking-") && t.isAlive()));
    }
}
