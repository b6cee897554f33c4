package io.spaghetti.sdk.core.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.cache.CacheModule;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/** Two SDK instances on the real Redis share AI answers; the prompt is never in Redis. */
class AiCacheIT {
    private final List<Sdk> sdks = new ArrayList<>();
    private final String namespace = "ai" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void closeAll() {
        sdks.forEach(Sdk::close);
    }

    private Sdk instance() {
        SdkConfig base = SdkConfig.loader().yaml("t", "cache:\n  namespace: " + namespace + "\n")
                .environment(Map.of()).systemProperties(new Properties()).load();
        RedisConfig rc = base.redis().toBuilder().addresses(List.of(StackEnv.require("STACK_REDIS_ADDRESS")))
                .password(Secret.ofValue(StackEnv.require("STACK_REDIS_PASSWORD"))).build();
        Sdk sdk = Sdk.builder().config(base.with(RedisConfig.SECTION, rc)).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule(), new CacheModule())).build();
        sdks.add(sdk);
        return sdk;
    }

    private AiAnswer slowProvider(AiRequest r) {
        calls.incrementAndGet();
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new AiAnswer("Release 2 adds hubs.", 900, 40, 0.004);
    }

    @Test
    void theSecondInstancesIdenticalPromptIsAHitAndThePromptIsNeverInRedis() {
        Sdk a = instance();
        Sdk b = instance();
        AiRequest request = AiRequest.of("openai", "gpt-4o", "confidential: summarise the Q3 salaries").with("temperature", 0);
        a.aiCache().answer(request, this::slowProvider);
        AiAnswer fromB = b.aiCache().answer(request, this::slowProvider);
        assertThat(fromB.text()).isEqualTo("Release 2 adds hubs.");
        assertThat(calls).as("B's identical prompt cost no provider call").hasValue(1);
        assertThat(b.meterRegistry().get("ai.cache.requests").tags("result", "hit").counter().count()).isEqualTo(1);
        b.aiCache().answer(request.with("temperature", 1), this::slowProvider);
        assertThat(calls).as("another temperature is another answer").hasValue(2);

        RedissonClient raw = a.module(RedisModule.class).client();
        List<String> keys = new ArrayList<>();
        raw.getKeys().getKeysByPattern("*" + namespace + "*").forEach(keys::add);
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            assertThat(key).doesNotContain("salaries");
            if (raw.getKeys().getType(key) == org.redisson.api.RType.OBJECT) {
                byte[] value = raw.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).get();
                assertThat(value == null ? "" : new String(value, StandardCharsets.UTF_8)).doesNotContain("salaries");
            }
        }
    }

    @Test
    void tenIdenticalConcurrentPromptsAcrossTwoInstancesMakeOneProviderCall() throws Exception {
        Sdk a = instance();
        Sdk b = instance();
        AiRequest request = AiRequest.of("openai", "gpt-4o", "what changed in release 2?");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<AiAnswer>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Sdk on = i % 2 == 0 ? a : b;
                answers.add(pool.submit(() -> {
                    go.await();
                    return on.aiCache().answer(request, this::slowProvider);
                }));
            }
            go.countDown();
            for (Future<AiAnswer> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS).text()).isEqualTo("Release 2 adds hubs.");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(calls).as("one call for ten identical prompts on two instances").hasValue(1);
    }
}
