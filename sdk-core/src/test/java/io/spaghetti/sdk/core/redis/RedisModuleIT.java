package io.spaghetti.sdk.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.SdkStartupException;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** The shared Redisson client against the real standalone, TLS, ACL, cluster and sentinel servers. */
class RedisModuleIT {

    private static final String PASSWORD = "STACK_REDIS_PASSWORD";

    private static Sdk start(UnaryOperator<RedisConfig.Builder> redis) {
        SdkConfig defaults = SdkConfig.defaults();
        RedisConfig c = redis.apply(defaults.redis().toBuilder().required(true)
                .connectTimeout(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(2)).retryAttempts(0)).build();
        return Sdk.builder().config(defaults.with(RedisConfig.SECTION, c)).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule())).build();
    }

    private static RedisConfig.Builder standalone(RedisConfig.Builder b) {
        return b.addresses(List.of(StackEnv.require("STACK_REDIS_ADDRESS")))
                .password(Secret.ofValue(StackEnv.require(PASSWORD)));
    }

    private static RedisConfig.Tls tls() {
        return new RedisConfig.Tls(true, Path.of(StackEnv.require("STACK_REDIS_TRUSTSTORE")),
                Secret.ofValue(StackEnv.require("STACK_REDIS_TRUSTSTORE_PASSWORD")), null, null);
    }

    private static void assertWorks(Sdk sdk, String key) {
        assertThat(sdk.checkHealth().module("redis").status()).isEqualTo(HealthStatus.UP);
        RedissonClient client = sdk.module(RedisModule.class).client();
        client.getBucket(key, StringCodec.INSTANCE).set("v");
        assertThat(client.getBucket(key, StringCodec.INSTANCE).get()).isEqualTo("v");
    }

    private static RedisConnectException.Reason failureOf(UnaryOperator<RedisConfig.Builder> redis, String secret) {
        try (Sdk ignored = start(redis)) {
            throw new AssertionError("expected the connection to fail");
        } catch (SdkStartupException e) {
            assertThat(e.getCause()).isInstanceOf(RedisConnectException.class);
            if (secret != null) {
                assertThat(e.getMessage()).doesNotContain(secret);
                assertThat(Arrays.toString(e.getStackTrace()) + e.getCause().getMessage()).doesNotContain(secret);
            }
            return ((RedisConnectException) e.getCause()).reason();
        }
    }

    @Test
    void standaloneWithPassword() {
        try (Sdk sdk = start(RedisModuleIT::standalone)) {
            assertWorks(sdk, "spaghetti:it:standalone");
            assertThat(sdk.checkHealth().module("redis").details()).containsEntry("mode", "single");
        }
    }

    @Test
    void cluster() {
        try (Sdk sdk = start(b -> b.mode(RedisConfig.Mode.CLUSTER)
                .addresses(List.of(StackEnv.require("STACK_REDIS_CLUSTER_ADDRESSES").split(","))))) {
            assertWorks(sdk, "spaghetti:it:cluster");
        }
    }

    @Test
    void sentinel() {
        try (Sdk sdk = start(b -> b.mode(RedisConfig.Mode.SENTINEL)
                .masterName(StackEnv.require("STACK_REDIS_SENTINEL_MASTER"))
                .addresses(List.of(StackEnv.require("STACK_REDIS_SENTINEL_ADDRESSES").split(","))))) {
            assertWorks(sdk, "spaghetti:it:sentinel");
        }
    }

    @Test
    void tlsWithTrustStore() {
        try (Sdk sdk = start(b -> standalone(b).addresses(List.of(StackEnv.require("STACK_REDIS_TLS_ADDRESS")))
                .tls(tls()))) {
            assertWorks(sdk, "spaghetti:it:tls");
        }
    }

    @Test
    void aclUserIsLimitedToItsKeyPrefix() {
        try (Sdk sdk = start(b -> b.addresses(List.of(StackEnv.require("STACK_REDIS_TLS_ADDRESS"))).tls(tls())
                .username(StackEnv.require("STACK_REDIS_APP_USER"))
                .password(Secret.ofValue(StackEnv.require("STACK_REDIS_APP_PASSWORD"))))) {
            assertWorks(sdk, "spaghetti:it:acl");
            RedissonClient client = sdk.module(RedisModule.class).client();
            assertThatThrownBy(() -> client.getBucket("other:it:acl", StringCodec.INSTANCE).set("v"))
                    .hasMessageContaining("NOPERM");
        }
    }

    @Test
    void wrongPasswordIsReportedWithoutThePassword() {
        String wrong = "not-the-password-" + System.nanoTime();
        assertThat(failureOf(b -> standalone(b).password(Secret.ofValue(wrong)), wrong))
                .isEqualTo(RedisConnectException.Reason.WRONG_PASSWORD);
    }

    @Test
    void missingPasswordIsNoauth() {
        assertThat(failureOf(b -> standalone(b).password(null), null)).isEqualTo(RedisConnectException.Reason.NOAUTH);
    }

    @Test
    void plainClientOnTheTlsPortIsATlsMismatch() {
        assertThat(failureOf(b -> standalone(b).addresses(List.of(StackEnv.require("STACK_REDIS_TLS_ADDRESS"))), null))
                .isEqualTo(RedisConnectException.Reason.TLS_MISMATCH_SERVER_EXPECTS_TLS);
    }

    @Test
    void tlsClientOnThePlainPortIsATlsMismatch() {
        assertThat(failureOf(b -> standalone(b).tls(tls()), null))
                .isEqualTo(RedisConnectException.Reason.TLS_MISMATCH_SERVER_PLAIN);
    }

    @Test
    void unreachableHost() {
        assertThat(failureOf(b -> b.addresses(List.of("127.0.0.1:1")), null))
                .isEqualTo(RedisConnectException.Reason.UNREACHABLE);
    }

    @Test
    void optionalRedisDownAtStartUpIsDegradedAndCloseLeavesNoThreads() {
        SdkConfig defaults = SdkConfig.defaults();
        RedisConfig down = defaults.redis().toBuilder().addresses(List.of("127.0.0.1:1")).build();
        Sdk sdk = Sdk.builder().config(defaults.with(RedisConfig.SECTION, down)).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule())).build();
        assertThat(sdk.checkHealth().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(sdk.checkHealth().module("redis").reason()).contains("no server answered");
        sdk.close();

        try (Sdk up = start(RedisModuleIT::standalone)) {
            assertWorks(up, "spaghetti:it:threads");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> leftoverThreads().isEmpty());
    }

    private static List<String> leftoverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("spaghetti-sdk-") || n.startsWith("redisson-")).toList();
    }
}
