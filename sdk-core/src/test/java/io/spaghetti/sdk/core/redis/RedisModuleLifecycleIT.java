package io.spaghetti.sdk.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Failed and racing starts of the redis module leave nothing behind. */
class RedisModuleLifecycleIT {

    /** Threads of Redisson clients (its Netty event loops and timers). */
    static long redissonThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("redisson-")).count();
    }

    /** Registers a connect listener that throws, and counts how often it ran. */
    static final class ThrowingListener implements SdkModule {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public String name() {
            return "listener";
        }

        @Override
        public Set<String> dependsOn() {
            return Set.of("redis");
        }

        @Override
        public void start(ModuleContext context) {
            context.module(RedisModule.class).onConnected(client -> {
                runs.incrementAndGet();
                throw new IllegalStateException("listener bug");
            });
        }

        @Override
        public io.spaghetti.sdk.core.Health health() {
            return io.spaghetti.sdk.core.Health.up();
        }

        @Override
        public void close() {
        }
    }

    private static Sdk sdk(RedisConfig redis, SdkModule... more) {
        SdkConfig base = SdkConfig.loader().yaml("t", "").environment(Map.of()).systemProperties(new Properties()).load();
        List<SdkModule> modules = new java.util.ArrayList<>(List.of(new RedisModule()));
        modules.addAll(List.of(more));
        return Sdk.builder().config(base.with(RedisConfig.SECTION, redis)).meterRegistry(new SimpleMeterRegistry())
                .modules(modules).startRetryBackoff(Duration.ofMillis(100), Duration.ofMillis(200)).build();
    }

    @Test
    void retriedStartsAgainstAnUnreachableRedisLeakNoClient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long before = redissonThreads();
        RedisConfig unreachable = SdkConfig.defaults().redis().toBuilder().addresses(List.of("127.0.0.1:" + port))
                .connectTimeout(Duration.ofMillis(200)).timeout(Duration.ofMillis(200)).build();
        try (Sdk sdk = sdk(unreachable)) {
            Thread.sleep(4_000);   // about 15 failed attempts
            assertThat(sdk.checkHealth().module("redis").status()).isEqualTo(HealthStatus.DEGRADED);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(redissonThreads() - before).as("Redisson threads after many failed starts").isLessThan(12));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> redissonThreads() <= before);
    }

    @Test
    void aThrowingConnectListenerRunsOnceAndDoesNotFailRedis() {
        RedisConfig redis = SdkConfig.defaults().redis().toBuilder()
                .addresses(List.of(StackEnv.require("STACK_REDIS_ADDRESS")))
                .password(Secret.ofValue(StackEnv.require("STACK_REDIS_PASSWORD"))).build();
        ThrowingListener listener = new ThrowingListener();
        long before = redissonThreads();
        try (Sdk sdk = sdk(redis, listener)) {
            assertThat(sdk.checkHealth().module("redis").status()).isEqualTo(HealthStatus.UP);
            assertThat(listener.runs).hasValue(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> redissonThreads() <= before);
    }
}
