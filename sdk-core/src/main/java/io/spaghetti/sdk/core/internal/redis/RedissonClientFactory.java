package io.spaghetti.sdk.core.internal.redis;

import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.redis.RedisConnectException;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.List;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;

/** Builds the Redisson client from {@link RedisConfig}; the only place that knows Redisson's config API. */
public final class RedissonClientFactory {
    private RedissonClientFactory() {
    }

    /** Connects, or throws {@link RedisConnectException} saying what kind of failure it was. */
    public static RedissonClient create(RedisConfig c) {
        Config config = toRedisson(c);
        try {
            return Redisson.create(config);
        } catch (RuntimeException e) {
            RedisConnectException.Reason reason = RedisFailureClassifier.classify(e, c.addresses().get(0),
                    c.tls().enabled(), (int) c.connectTimeout().toMillis());
            throw new RedisConnectException(reason, c.describe(), e);
        }
    }

    static Config toRedisson(RedisConfig c) {
        Config config = new Config();
        // Redisson's default of 32 netty threads is sized for large servers; the SDK shares one client.
        config.setNettyThreads(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
        config.setThreads(Math.max(2, Runtime.getRuntime().availableProcessors()));
        List<String> urls = c.addresses().stream().map(a -> (c.tls().enabled() ? "rediss://" : "redis://") + a).toList();
        BaseConfig<?> base = switch (c.mode()) {
            case SINGLE -> config.useSingleServer().setAddress(urls.get(0)).setDatabase(c.database());
            case CLUSTER -> config.useClusterServers().addNodeAddress(urls.toArray(String[]::new));
            case SENTINEL -> config.useSentinelServers().setMasterName(c.masterName())
                    .addSentinelAddress(urls.toArray(String[]::new)).setDatabase(c.database())
                    .setCheckSentinelsList(false);
        };
        base.setConnectTimeout((int) c.connectTimeout().toMillis())
                .setTimeout((int) c.timeout().toMillis())
                .setRetryAttempts(c.retryAttempts())
                .setRetryDelay(new ConstantDelay(c.retryInterval()))
                .setSubscriptionsPerConnection(c.subscriptionsPerConnection());
        if (c.username() != null) {
            base.setUsername(c.username());
        }
        if (c.password() != null) {
            base.setPassword(c.password().reveal());
        }
        RedisConfig.Tls tls = c.tls();
        if (tls.enabled()) {
            if (tls.truststore() != null) {
                base.setSslTruststore(url(tls.truststore()));
                if (tls.truststorePassword() != null) {
                    base.setSslTruststorePassword(tls.truststorePassword().reveal());
                }
            }
            if (tls.keystore() != null) {
                base.setSslKeystore(url(tls.keystore()));
                if (tls.keystorePassword() != null) {
                    base.setSslKeystorePassword(tls.keystorePassword().reveal());
                }
            }
        }
        return config;
    }

    private static URL url(java.nio.file.Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a file path: " + p, e);
        }
    }
}
