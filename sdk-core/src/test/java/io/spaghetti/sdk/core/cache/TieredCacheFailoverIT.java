package io.spaghetti.sdk.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.testing.SentinelStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** SIGKILL of the sentinel master while two SDK instances read and write through the cache. */
class TieredCacheFailoverIT {
    record Doc(String id, int version) {
    }

    @Test
    void sentinelMasterKilledUnderLoad() throws Exception {
        String namespace = "failover" + UUID.randomUUID().toString().substring(0, 8);
        SentinelStack stack = new SentinelStack();
        try (Sdk a = start(namespace, stack); Sdk b = start(namespace, stack)) {
            TieredCache<Doc> ca = a.cache().cache("docs", Doc.class);
            TieredCache<Doc> cb = b.cache().cache("docs", Doc.class);
            assertThat(a.checkHealth().status()).isEqualTo(HealthStatus.UP);

            AtomicLong exceptions = new AtomicLong();
            AtomicLong ops = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                TieredCache<Doc> c = t % 2 == 0 ? ca : cb;
                workers.add(pool.submit(() -> {
                    while (running.get()) {
                        try {
                            String key = "k" + (ops.incrementAndGet() % 20);
                            if (id < 4) {
                                c.put(key, new Doc(key, id));
                            } else {
                                c.get(key, k -> new Doc(k, -1));
                            }
                        } catch (RuntimeException e) {
                            exceptions.incrementAndGet();
                        }
                    }
                }));
            }
            Thread.sleep(1000);
            double clearsBefore = counter(a, "cache.l1.clears");
            long killedAt = System.nanoTime();
            stack.killMaster();

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> a.checkHealth().module("cache").status() == HealthStatus.DEGRADED);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> a.checkHealth().module("cache").status() == HealthStatus.UP
                            && b.checkHealth().module("cache").status() == HealthStatus.UP);
            long resumedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            running.set(false);
            for (Future<?> w : workers) {
                w.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            System.out.printf("sentinel failover under load: cache UP again %d ms after SIGKILL, %d operations, "
                    + "%d exceptions to callers%n", resumedMs, ops.get(), exceptions.get());

            assertThat(exceptions).hasValue(0);
            assertThat(counter(a, "cache.l1.clears")).isGreaterThan(clearsBefore);

            ca.get("after", k -> new Doc(k, 1));
            cb.put("after", new Doc("after", 2));
            await().atMost(Duration.ofSeconds(5)).until(() -> ca.get("after", k -> new Doc(k, -1)).version() == 2);
        } finally {
            stack.restartStoppedNodes();
        }
    }

    private static Sdk start(String namespace, SentinelStack stack) {
        SdkConfig base = SdkConfig.loader().yaml("t", "cache:\n  namespace: " + namespace + "\n")
                .environment(Map.of()).systemProperties(new Properties()).load();
        RedisConfig rc = base.redis().toBuilder().mode(RedisConfig.Mode.SENTINEL).addresses(stack.sentinels())
                .masterName(stack.masterName()).build();
        return Sdk.builder().config(base.with(RedisConfig.SECTION, rc)).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule(), new CacheModule())).build();
    }

    private static double counter(Sdk sdk, String name) {
        return sdk.meterRegistry().get(name).tags("cache", "docs").counter().count();
    }
}
