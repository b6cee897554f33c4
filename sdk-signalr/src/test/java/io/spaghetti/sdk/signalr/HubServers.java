package io.spaghetti.sdk.signalr;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.backplane.BackplaneModule;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/** SDK instances hosting {@link TestHub} at /hubs/test, sharing the stack's Redis (or none). */
final class HubServers implements AutoCloseable {
    static final String PATH = "/hubs/test";
    static final String SECURE_PATH = "/hubs/secure";
    private final String prefix;
    private final List<Sdk> sdks = new ArrayList<>();

    HubServers() {
        this("sr" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Servers whose backplane channels start with {@code prefix}: the same prefix, the same hubs. */
    HubServers(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** One server: its SDK, its hub object and its base URL. */
    record Server(Sdk sdk, TestHub hub, String url) {
        String hubUrl() {
            return url + PATH;
        }

        HubContext context() {
            return sdk.module(BackplaneModule.class).hub(TestHub.NAME);
        }
    }

    Server start(boolean withRedis) throws Exception {
        return start(withRedis, 0);
    }

    Server start(boolean withRedis, int port) throws Exception {
        String yaml = "backplane:\n  channelPrefix: " + prefix + "\n  clientResultTimeout: 5s\n"
                + "signalr:\n  port: " + port + "\n  host: 127.0.0.1\n  maxMessageSize: 4096\n  keepAliveInterval: 2s\n"
                + "  clientTimeout: 30s\n  reconnectWindow: 20s\n  longPollTimeout: 5s\n  allowedOrigins: [\"*\"]\n"
                + (withRedis ? "" : "redis:\n  enabled: false\n");
        SdkConfig base = SdkConfig.loader().yaml("t", yaml).environment(Map.of()).systemProperties(new Properties()).load();
        if (withRedis) {
            RedisConfig rc = base.redis().toBuilder().addresses(List.of(StackEnv.require("STACK_REDIS_ADDRESS")))
                    .password(Secret.ofValue(StackEnv.require("STACK_REDIS_PASSWORD"))).build();
            base = base.with(RedisConfig.SECTION, rc);
        }
        Sdk sdk = Sdk.builder().config(base).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new RedisModule(), new BackplaneModule(), new SignalRModule())).build();
        sdks.add(sdk);
        TestHub hub = new TestHub();
        SignalRModule signalr = sdk.module(SignalRModule.class);
        signalr.hubs().map(PATH, TestHub.NAME, hub, Authenticator.anonymous())
                .map(SECURE_PATH, TestHub.NAME, new TestHub(),
                        token -> "good-token".equals(token) ? Optional.of(new HubUser("alice")) : Optional.empty());
        return new Server(sdk, hub, signalr.startServer().uri().toString());
    }

    @Override
    public void close() {
        sdks.forEach(Sdk::close);
    }
}
