package io.spaghetti.sdk.core.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.cache.CacheModule;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.SdkConfigException;
import io.spaghetti.sdk.core.redis.RedisModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The AI response cache on L1 only (AiCacheIT covers two instances on the real Redis). */
class AiCacheTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Sdk sdk = Sdk.builder().config(SdkConfig.loader().yaml("t", "redis:\n  enabled: false\n")
            .environment(Map.of()).systemProperties(new Properties()).load()).meterRegistry(meters)
            .modules(List.of(new RedisModule(), new CacheModule())).build();
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void close() {
        sdk.close();
    }

    private AiAnswer provider(AiRequest r) {
        calls.incrementAndGet();
        return new AiAnswer("an answer to " + r.parameters(), 1200, 300, 0.012);
    }

    @Test
    void anIdenticalRequestIsAHitThatCountsWhatItSaved() {
        AiRequest request = AiRequest.of("openai", "gpt-4o", "Summarise the release notes").with("temperature", 0.2);
        AiAnswer first = sdk.aiCache().answer(request, this::provider);
        AiAnswer second = sdk.aiCache().answer(AiRequest.of("openai", "gpt-4o", "Summarise the release notes")
                .with("temperature", 0.2), this::provider);
        assertThat(second).isEqualTo(first);
        assertThat(calls).hasValue(1);
        assertThat(meters.get("ai.cache.requests").tags("result", "hit", "model", "gpt-4o").counter().count()).isEqualTo(1);
        assertThat(meters.get("ai.cache.requests").tags("result", "miss").counter().count()).isEqualTo(1);
        assertThat(meters.get("ai.cache.tokens.saved").tags("direction", "in").counter().count()).isEqualTo(1200);
        assertThat(meters.get("ai.cache.cost.saved").counter().count()).isEqualTo(0.012);
        assertThat(sdk.aiCache().cached(request)).contains(first);
    }

    @Test
    void aChangedParameterOrPromptIsAMissAndParameterOrderDoesNotMatter() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("temperature", 0.2);
        ab.put("maxTokens", 500);
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("maxTokens", 500);
        ba.put("temperature", 0.2);
        assertThat(new AiRequest("p", "m", "x", ab, null).key()).isEqualTo(new AiRequest("p", "m", "x", ba, null).key());
        AiRequest base = new AiRequest("p", "m", "x", ab, null);
        sdk.aiCache().answer(base, this::provider);
        sdk.aiCache().answer(base.with("temperature", 0.9), this::provider);
        sdk.aiCache().answer(new AiRequest("p", "m", "y", ab, null), this::provider);
        sdk.aiCache().answer(new AiRequest("p", "other-model", "x", ab, null), this::provider);
        assertThat(calls).hasValue(4);
    }

    @Test
    void tenIdenticalConcurrentRequestsMakeOneProviderCall() throws Exception {
        AiRequest request = AiRequest.of("openai", "gpt-4o", "slow prompt");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<AiAnswer>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(pool.submit(() -> sdk.aiCache().answer(request, r -> {
                    sleep(200);
                    return provider(r);
                })));
            }
            for (Future<AiAnswer> a : answers) {
                assertThat(a.get(5, TimeUnit.SECONDS).text()).startsWith("an answer");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void aFailedCallReachesTheCallerAndIsNotCached() {
        AiRequest request = AiRequest.of("openai", "gpt-4o", "fails once");
        assertThatThrownBy(() -> sdk.aiCache().answer(request, r -> {
            throw new IllegalStateException("rate limited");
        })).hasMessageContaining("rate limited");
        assertThat(sdk.aiCache().answer(request, this::provider).text()).startsWith("an answer");
    }

    @Test
    void thePromptIsInNoKeyAndNoLogLine() {
        AiRequest request = AiRequest.of("openai", "gpt-4o", "my salary is 123456");
        assertThat(request.key()).matches("[0-9a-f]{64}").doesNotContain("123456");
        assertThat(request.toString()).doesNotContain("salary").contains("gpt-4o");
    }

    @Test
    void badTtlsAreConfigurationProblems() {
        assertThatThrownBy(() -> SdkConfig.loader().yaml("t", "ai:\n  cache:\n    ttl: 0s\n    ttlByModel:\n      gpt-4o: fast\n")
                .environment(Map.of()).systemProperties(new Properties()).load())
                .isInstanceOf(SdkConfigException.class).hasMessageContaining("ai.cache.ttl")
                .hasMessageContaining("ai.cache.ttlByModel.gpt-4o");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
