package io.spaghetti.sdk.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.nio.file.Files;
import java.nio.file.Path;
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
        List<String> sentinels = List.of(StackEnv.require("STACK_REDIS_SENTINEL_ADDRESSES").split(","));
        String masterName = StackEnv.require("STACK_REDIS_SENTINEL_MASTER");
        Path stackDir = Path.of(StackEnv.require("STACK_REDIS_SENTINEL_DIR"));
        try (Sdk a = start(namespace, sentinels, masterName); Sdk b = start(namespace, sentinels, masterName)) {
            TieredCache<Doc> ca = a.cache().cache("docs", Doc.class);
            TieredCache<Doc> cb = b.cache().cache("docs", Doc.class);
            assertThat(a.health().status()).isEqualTo(HealthStatus.UP);

            int masterPort = masterPort(sentinels.get(0), masterName);
            Path nodeDir = stackDir.resolve(masterPort == 16390 ? "master" : "replica-" + masterPort);
            long pid = Long.parseLong(Files.readString(nodeDir.resolve("redis.pid")).trim());

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
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> a.health().module("cache").status() == HealthStatus.DEGRADED);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> a.health().module("cache").status() == HealthStatus.UP
                            && b.health().module("cache").status() == HealthStatus.UP);
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
            restartAsReplica(stackDir, sentinels.get(0), masterName);
        }
    }

    private static Sdk start(String namespace, List<String> sentinels, String masterName) {
        SdkConfig base = SdkConfig.loader().yaml("t", "cache:\n  namespace: " + namespace + "\n")
                .environment(Map.of()).systemProperties(new Properties()).load();
        RedisConfig rc = base.redis().toBuilder().mode(RedisConfig.Mode.SENTINEL).addresses(sentinels)
                .masterName(masterName).build();
        return Sdk.builder().config(base.with(RedisConfig.SECTION, rc)).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule(), new CacheModule())).build();
    }

    private static double counter(Sdk sdk, String name) {
        return sdk.meterRegistry().get(name).tags("cache", "docs").counter().count();
    }

    private static int masterPort(String sentinel, String masterName) throws Exception {
        String[] hp = sentinel.split(":");
        Process p = new ProcessBuilder("redis-cli", "-h", hp[0], "-p", hp[1], "SENTINEL", "get-master-addr-by-name",
                masterName).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        p.waitFor();
        return Integer.parseInt(lines.get(1).trim());
    }

    /** Brings every stopped data node back; sentinel turns the old master into a replica. */
    private static void restartAsReplica(Path stackDir, String sentinel, String masterName) throws Exception {
        try (var dirs = Files.list(stackDir)) {
            for (Path dir : dirs.filter(d -> Files.exists(d.resolve("redis.conf"))).toList()) {
                Path pidFile = dir.resolve("redis.pid");
                boolean alive = Files.exists(pidFile) && ProcessHandle.of(Long.parseLong(Files.readString(pidFile)
                        .trim())).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    new ProcessBuilder("redis-server", dir.resolve("redis.conf").toString()).inheritIO().start()
                            .waitFor();
                }
            }
        }
    }
}
