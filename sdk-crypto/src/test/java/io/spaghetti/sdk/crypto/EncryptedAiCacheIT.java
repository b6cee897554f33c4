package io.spaghetti.sdk.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.ai.AiAnswer;
import io.spaghetti.sdk.core.ai.AiRequest;
import io.spaghetti.sdk.core.cache.CacheModule;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/** The AI cache with ai.cache.encrypt on the real Redis: no plaintext at rest, answers bound to their tenant. */
class EncryptedAiCacheIT {
    private static final String SECRET_ANSWER = "The Q3 salary of employee 42 is 123456";
    @TempDir
    Path dir;
    private final List<Sdk> sdks = new ArrayList<>();
    private final String namespace = "aienc" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void closeAll() {
        sdks.forEach(Sdk::close);
    }

    private Sdk instance() {
        SdkConfig base = SdkConfig.loader().yaml("t", """
                cache:
                  namespace: %s
                ai:
                  cache:
                    encrypt: true
                crypto:
                  provider: local
                  local:
                    keystore: %s
                """.formatted(namespace, dir.resolve("shared-kek.p12")))
                .environment(Map.of()).systemProperties(new Properties()).load();
        RedisConfig rc = base.redis().toBuilder().addresses(List.of(StackEnv.require("STACK_REDIS_ADDRESS")))
                .password(Secret.ofValue(StackEnv.require("STACK_REDIS_PASSWORD"))).build();
        Sdk sdk = Sdk.builder().config(base.with(RedisConfig.SECTION, rc)).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule(), new CacheModule(), new CryptoModule())).build();
        sdks.add(sdk);
        return sdk;
    }

    private AiAnswer provider(AiRequest r) {
        calls.incrementAndGet();
        return new AiAnswer(SECRET_ANSWER, 900, 40, 0.004);
    }

    @Test
    void answersRestEncryptedAndOpenOnlyForTheirTenant() {
        Sdk a = instance();
        Sdk b = instance();
        AiRequest acme = AiRequest.of("openai", "gpt-4o", "what is the salary of 42").forTenant("acme");
        assertThat(a.aiCache().answer(acme, this::provider).text()).isEqualTo(SECRET_ANSWER);
        assertThat(b.aiCache().answer(acme, this::provider).text()).as("B decrypts A's cached answer")
                .isEqualTo(SECRET_ANSWER);
        assertThat(calls).hasValue(1);
        b.aiCache().answer(acme.forTenant("globex"), this::provider);
        assertThat(calls).as("another tenant never finds acme's answer").hasValue(2);

        RedissonClient raw = a.module(RedisModule.class).client();
        List<String> keys = new ArrayList<>();
        raw.getKeys().getKeysByPattern("*" + namespace + "*").forEach(keys::add);
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            byte[] value = raw.getKeys().getType(key) == org.redisson.api.RType.OBJECT
                    ? raw.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).get() : null;
            if (value != null) {
                String stored = new String(value, StandardCharsets.ISO_8859_1);
                assertThat(stored).as(key).doesNotContain("salary").doesNotContain("123456");
            }
        }
    }

    @Test
    void anEncryptedCacheNeedsATenantOnEveryRequest() {
        Sdk a = instance();
        assertThatThrownBy(() -> a.aiCache().answer(AiRequest.of("openai", "gpt-4o", "hi"), this::provider))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forTenant")
                .hasMessageNotContaining("hi\"");
        assertThat(calls).hasValue(0);
    }
}
