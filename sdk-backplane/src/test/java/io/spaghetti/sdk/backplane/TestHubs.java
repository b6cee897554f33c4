package io.spaghetti.sdk.backplane;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.testing.SentinelStack;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** SDK instances with the backplane on the stack's Redis, and sinks that record what they receive. */
final class TestHubs implements AutoCloseable {
    static final String HUB = "Spaghetti.Collaboration.DocumentHub";

    private final List<Sdk> sdks = new ArrayList<>();
    private final String backplaneYaml;
    private final UnaryOperator<RedisConfig.Builder> redis;

    TestHubs(String backplaneYaml, UnaryOperator<RedisConfig.Builder> redis) {
        this.backplaneYaml = backplaneYaml;
        this.redis = redis;
    }

    static RedisConfig.Builder standalone(RedisConfig.Builder b) {
        return b.addresses(List.of(StackEnv.require("STACK_REDIS_ADDRESS")))
                .password(Secret.ofValue(StackEnv.require("STACK_REDIS_PASSWORD")));
    }

    /** The stack's ACL user: keys and channels that start with {@code collab} only. */
    static RedisConfig.Builder standaloneAsAppUser(RedisConfig.Builder b) {
        return b.addresses(List.of(StackEnv.require("STACK_REDIS_ADDRESS")))
                .username(StackEnv.require("STACK_REDIS_APP_USER"))
                .password(Secret.ofValue(StackEnv.require("STACK_REDIS_APP_PASSWORD")));
    }

    static RedisConfig.Builder cluster(RedisConfig.Builder b) {
        return b.mode(RedisConfig.Mode.CLUSTER)
                .addresses(List.of(StackEnv.require("STACK_REDIS_CLUSTER_ADDRESSES").split(",")));
    }

    static RedisConfig.Builder sentinel(RedisConfig.Builder b) {
        SentinelStack s = new SentinelStack();
        return b.mode(RedisConfig.Mode.SENTINEL).addresses(s.sentinels()).masterName(s.masterName());
    }

    static Sdk start(String backplaneYaml, UnaryOperator<RedisConfig.Builder> redis) {
        SdkConfig base = SdkConfig.loader().yaml("t", "backplane:\n" + backplaneYaml.indent(2))
                .environment(Map.of()).systemProperties(new Properties()).load();
        RedisConfig rc = redis.apply(base.redis().toBuilder()).build();
        return Sdk.builder().config(base.with(RedisConfig.SECTION, rc)).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule(), new BackplaneModule())).build();
    }

    Sdk instance() {
        Sdk sdk = start(backplaneYaml, redis);
        sdks.add(sdk);
        return sdk;
    }

    static HubContext hub(Sdk sdk) {
        return sdk.module(BackplaneModule.class).hub(HUB);
    }

    @Override
    public void close() {
        sdks.forEach(Sdk::close);
    }

    /** Records the invocations a connection receives. */
    static final class Inbox implements ConnectionSink {
        final BlockingQueue<HubInvocation> received = new LinkedBlockingQueue<>();

        @Override
        public void deliver(HubFrame frame) {
            received.add(frame.invocation());
        }

        HubInvocation next() throws InterruptedException {
            HubInvocation m = received.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("nothing received within 10 s");
            }
            return m;
        }

        /** The next message is the one with {@code target}: nothing else came before it. */
        HubInvocation nextIs(String target) throws InterruptedException {
            HubInvocation m = next();
            if (!m.target().equals(target)) {
                throw new AssertionError("expected " + target + " but received " + m);
            }
            return m;
        }

        boolean quietFor(Duration d) throws InterruptedException {
            return received.poll(d.toMillis(), TimeUnit.MILLISECONDS) == null;
        }
    }
}
