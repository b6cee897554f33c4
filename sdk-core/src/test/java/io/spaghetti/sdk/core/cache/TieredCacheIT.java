package io.spaghetti.sdk.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/** Several SDK instances in one JVM (separate Redisson clients) sharing the real Redis. */
class TieredCacheIT {
    record Doc(String id, int version) {
    }

    private final List<Sdk> sdks = new ArrayList<>();
    private final String namespace = "it" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void closeAll() {
        sdks.forEach(Sdk::close);
    }

    private Sdk instance(UnaryOperator<RedisConfig.Builder> redis) {
        SdkConfig base = SdkConfig.loader().yaml("t", "cache:\n  namespace: " + namespace + "\n")
                .environment(Map.of()).systemProperties(new Properties()).load();
        RedisConfig rc = redis.apply(base.redis().toBuilder()).build();
        Sdk sdk = Sdk.builder().config(base.with(RedisConfig.SECTION, rc)).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule(), new CacheModule()))
                .startRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)).build();
        sdks.add(sdk);
        return sdk;
    }

    private static RedisConfig.Builder standalone(RedisConfig.Builder b) {
        return b.addresses(List.of(StackEnv.require("STACK_REDIS_ADDRESS")))
                .password(Secret.ofValue(StackEnv.require("STACK_REDIS_PASSWORD")));
    }

    private static double counter(Sdk sdk, String name, String... tags) {
        return sdk.meterRegistry().get(name).tags(tags).meter().measure().iterator().next().getValue();
    }

    @Test
    void aPutOnOneInstanceRemovesTheKeyFromTheOthersL1() {
        Sdk a = instance(TieredCacheIT::standalone);
        Sdk b = instance(TieredCacheIT::standalone);
        TieredCache<Doc> ca = a.cache().cache("docs", Doc.class);
        TieredCache<Doc> cb = b.cache().cache("docs", Doc.class);
        AtomicInteger loads = new AtomicInteger();
        assertThat(ca.get("d", k -> new Doc(k, loads.incrementAndGet()))).isEqualTo(new Doc("d", 1));
        assertThat(cb.get("d", k -> new Doc(k, loads.incrementAndGet()))).isEqualTo(new Doc("d", 1));
        assertThat(loads).hasValue(1);
        assertThat(counter(b, "cache.gets", "cache", "docs", "tier", "l2", "result", "hit")).isEqualTo(1);
        assertThat(counter(a, "cache.invalidations", "cache", "docs", "direction", "sent")).isZero();

        long[] micros = new long[200];
        for (int i = 0; i < micros.length; i++) {
            Doc next = new Doc("d", 100 + i);
            long t0 = System.nanoTime();
            ca.put("d", next);
            // Measured by spinning on B's read: the first read that sees the new value ends the sample.
            long deadline = t0 + TimeUnit.SECONDS.toNanos(5);
            while (!cb.getIfPresent("d").filter(next::equals).isPresent()) {
                assertThat(System.nanoTime()).as("invalidation %d not seen within 5 s", i).isLessThan(deadline);
                Thread.onSpinWait();
            }
            micros[i] = (System.nanoTime() - t0) / 1000;
        }
        Arrays.sort(micros);
        System.out.printf("cache invalidation propagation over %d puts: p50 %d us, p99 %d us%n", micros.length,
                micros[micros.length / 2], micros[micros.length * 99 / 100]);
        assertThat(counter(b, "cache.invalidations", "cache", "docs", "direction", "received")).isEqualTo(200);

        cb.invalidate("d");
        await().atMost(Duration.ofSeconds(5)).until(() -> ca.l1Size() == 0);
        assertThat(ca.get("d", k -> new Doc(k, -1))).isEqualTo(new Doc("d", -1));
    }

    @Test
    void noReadAfterAPutOrInvalidateReturnsSeesAnOlderValue() throws Exception {
        Sdk sdk = instance(TieredCacheIT::standalone);
        TieredCache<Doc> c = sdk.cache().cache("race", Doc.class);
        AtomicInteger database = new AtomicInteger();
        java.util.function.Function<String, Doc> loader = k -> new Doc(k, database.get());
        AtomicLong stale = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        List<Future<?>> others = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            others.add(pool.submit(() -> {
                while (!done.get()) {
                    if (id == 0) {
                        c.invalidate("k");
                    } else {
                        c.get("k", loader);
                    }
                }
            }));
        }
        for (int n = 1; n <= 3_000; n++) {
            database.set(n);
            if (n % 2 == 0) {
                c.put("k", new Doc("k", n));
            } else {
                c.invalidate("k");
            }
            if (c.get("k", loader).version() < n) {
                stale.incrementAndGet();
            }
        }
        done.set(true);
        for (Future<?> f : others) {
            f.get();
        }
        pool.shutdown();
        assertThat(stale).as("reads older than the put or invalidate that returned before them").hasValue(0);
    }

    @Test
    void clusterWideLoadCallsTheLoaderOnceAcrossInstances() throws Exception {
        UnaryOperator<RedisConfig.Builder> cluster = b -> b.mode(RedisConfig.Mode.CLUSTER)
                .addresses(List.of(StackEnv.require("STACK_REDIS_CLUSTER_ADDRESSES").split(",")));
        List<TieredCache<Doc>> caches = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Sdk sdk = instance(cluster);
            caches.add(sdk.cache().cache("hot", ValueCodec.json(Doc.class),
                    sdk.cache().specFor("hot").toBuilder().clusterWideLoad(true).build()));
        }
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        List<Future<Doc>> results = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            TieredCache<Doc> c = caches.get(t % 2);
            results.add(pool.submit(() -> {
                go.await();
                return c.get("cold", k -> {
                    loads.incrementAndGet();
                    sleep(300);
                    return new Doc(k, 7);
                });
            }));
        }
        go.countDown();
        for (Future<Doc> f : results) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(new Doc("cold", 7));
        }
        pool.shutdown();
        assertThat(loads).hasValue(1);
    }

    @Test
    void ttlJitterNegativeCachingCorruptAndOversizedValues() {
        Sdk sdk = instance(TieredCacheIT::standalone);
        RedissonClient redis = sdk.module(RedisModule.class).client();
        CacheSpec spec = sdk.cache().specFor("misc").toBuilder().l2Ttl(Duration.ofSeconds(100)).l2TtlJitter(0.2)
                .nullTtl(Duration.ofSeconds(7)).maxValueBytes(64).build();
        TieredCache<Doc> c = sdk.cache().cache("misc", ValueCodec.json(Doc.class), spec);
        String prefix = "spaghetti:" + namespace + ":misc:v1:";

        List<Long> ttls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            c.put("k" + i, new Doc("k" + i, i));
            ttls.add(redis.getBucket(prefix + "k" + i).remainTimeToLive());
        }
        assertThat(ttls).allSatisfy(t -> assertThat(t).isBetween(79_000L, 120_000L));
        assertThat(ttls.stream().distinct().count()).isGreaterThan(5);

        AtomicInteger loads = new AtomicInteger();
        assertThat(c.get("none", k -> { loads.incrementAndGet(); return null; })).isNull();
        assertThat(redis.getBucket(prefix + "none").remainTimeToLive()).isBetween(1L, 7_000L);
        Sdk other = instance(TieredCacheIT::standalone);
        TieredCache<Doc> c2 = other.cache().cache("misc", ValueCodec.json(Doc.class), spec);
        assertThat(c2.get("none", k -> { loads.incrementAndGet(); return null; })).isNull();
        assertThat(loads).hasValue(1);

        redis.getBucket(prefix + "bad", ByteArrayCodec.INSTANCE).set("garbage".getBytes(StandardCharsets.UTF_8));
        assertThat(c.get("bad", k -> new Doc(k, 1))).isEqualTo(new Doc("bad", 1));
        assertThat(counter(sdk, "cache.l2.errors", "cache", "misc", "kind", "corrupt")).isEqualTo(1);

        c.put("big", new Doc("x".repeat(200), 1));
        assertThat(redis.getBucket(prefix + "big").isExists()).isFalse();
        assertThat(c.getIfPresent("big")).isPresent();
        assertThat(counter(sdk, "cache.l2.oversized", "cache", "misc")).isEqualTo(1);
    }

    @Test
    void worksOverTlsWithAnAclUserLimitedToTheCachePrefix() {
        Sdk sdk = instance(b -> b.addresses(List.of(StackEnv.require("STACK_REDIS_TLS_ADDRESS")))
                .username(StackEnv.require("STACK_REDIS_APP_USER"))
                .password(Secret.ofValue(StackEnv.require("STACK_REDIS_APP_PASSWORD")))
                .tls(new RedisConfig.Tls(true, Path.of(StackEnv.require("STACK_REDIS_TRUSTSTORE")),
                        Secret.ofValue(StackEnv.require("STACK_REDIS_TRUSTSTORE_PASSWORD")), null, null)));
        Sdk peer = instance(TieredCacheIT::standalone);
        CacheSpec spec = sdk.cache().specFor("acl").toBuilder().clusterWideLoad(true).build();
        TieredCache<Doc> c = sdk.cache().cache("acl", ValueCodec.json(Doc.class), spec);
        TieredCache<Doc> p = peer.cache().cache("acl", ValueCodec.json(Doc.class), spec);
        assertThat(c.get("k", k -> new Doc(k, 1))).isEqualTo(new Doc("k", 1));
        assertThat(p.get("k", k -> new Doc(k, 99))).isEqualTo(new Doc("k", 1));
        c.put("k", new Doc("k", 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> p.getIfPresent("k").orElseThrow().version() == 2);
        c.invalidateAll();
        assertThat(counter(sdk, "cache.l2.errors", "cache", "acl", "kind", "other")).isZero();
        assertThat(sdk.checkHealth().module("cache").status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void redisDownAtStartUpThenKilledWhileInUseNeverFailsACaller() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("cache-it-redis");
        Sdk sdk = instance(b -> b.addresses(List.of("127.0.0.1:" + port)).timeout(Duration.ofMillis(500))
                .connectTimeout(Duration.ofMillis(500)));
        TieredCache<Doc> c = sdk.cache().cache("docs", Doc.class);
        assertThat(sdk.checkHealth().module("cache").status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(c.get("a", k -> new Doc(k, 1))).isEqualTo(new Doc("a", 1));

        Process redis = io.spaghetti.sdk.core.testing.LocalRedis.start(port, dir);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> sdk.checkHealth().status() == HealthStatus.UP);
            assertThat(c.l1Size()).isZero();
            c.put("a", new Doc("a", 2));

            AtomicLong exceptions = new AtomicLong();
            AtomicLong reads = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < until) {
                        try {
                            String key = "k" + (reads.incrementAndGet() % 50);
                            if (id % 2 == 0) {
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
            redis.destroyForcibly().waitFor();
            for (Future<?> w : workers) {
                w.get();
            }
            pool.shutdown();
            assertThat(exceptions).hasValue(0);
            assertThat(reads.get()).isGreaterThan(100);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                c.getIfPresent("probe");
                return sdk.checkHealth().module("cache").status() == HealthStatus.DEGRADED;
            });

            double clearsBefore = counter(sdk, "cache.l1.clears", "cache", "docs");
            redis = io.spaghetti.sdk.core.testing.LocalRedis.start(port, dir);
            // No cache call meanwhile: the module probes the breaker itself, so an instance whose reads all hit L1
            // is UP again as soon as Redis is. The writers above filled the outbox (10,000 invalidations), and its
            // replay shares the breaker with the probe: on a loaded CI machine that took just over 30 s once.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> sdk.checkHealth().module("cache").status() == HealthStatus.UP);
            // the recovery that finds the restarted Redis empty (and clears L1) may run just after health says UP
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(counter(sdk, "cache.l1.clears", "cache", "docs")).isGreaterThan(clearsBefore));

            // After recovery an invalidation from another instance is honoured: no stale read.
            Sdk other = instance(b -> b.addresses(List.of("127.0.0.1:" + port)));
            TieredCache<Doc> o = other.cache().cache("docs", Doc.class);
            c.get("fresh", k -> new Doc(k, 1));
            o.put("fresh", new Doc("fresh", 2));
            await().atMost(Duration.ofSeconds(5)).until(() -> c.get("fresh", k -> new Doc(k, -1)).version() == 2);
        } finally {
            redis.destroyForcibly().waitFor();
        }
    }


    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
