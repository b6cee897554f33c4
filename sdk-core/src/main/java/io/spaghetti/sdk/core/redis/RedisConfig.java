package io.spaghetti.sdk.core.redis;

import java.util.Locale;
import io.spaghetti.sdk.core.config.ConfigProblems;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.ModuleSection;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.config.Validated;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The shared Redis connection (section {@code redis}). Defaults:
 * {@code META-INF/spaghetti-sdk/defaults/redis.yaml}.
 *
 * @param addresses   {@code host:port} of the server (single), the seed nodes (cluster) or the sentinels
 * @param database    logical database; single and sentinel only
 * @param masterName  the sentinel master name; sentinel only
 * @param username    ACL user, or null for the default user
 * @param password    reference to the password, or null when the server has none
 * @param subscriptionsPerConnection pub/sub channels per connection (the backplane subscribes one per client connection)
 */
public record RedisConfig(
        boolean enabled,
        boolean required,
        Mode mode,
        List<String> addresses,
        int database,
        String masterName,
        String username,
        Secret password,
        Tls tls,
        Duration connectTimeout,
        Duration timeout,
        int retryAttempts,
        Duration retryInterval,
        int subscriptionsPerConnection) implements ModuleSection, Validated {

    public static final ConfigSection<RedisConfig> SECTION = ConfigSection.of("redis", RedisConfig.class);

    public enum Mode { SINGLE, CLUSTER, SENTINEL }

    /**
     * @param truststore         PKCS#12 or JKS file with the CA that signed the server certificate
     * @param keystore           client certificate and key, when the server requires client auth
     */
    public record Tls(boolean enabled, Path truststore, Secret truststorePassword, Path keystore,
            Secret keystorePassword) {
    }

    public RedisConfig {
        addresses = List.copyOf(addresses);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public void validate(ConfigProblems problems, String path) {
        if (!enabled) {
            return;
        }
        problems.require(!addresses.isEmpty(), path + ".addresses", null, "is empty",
                "list at least one host:port, e.g. [\"127.0.0.1:6379\"]");
        for (int i = 0; i < addresses.size(); i++) {
            String a = addresses.get(i);
            problems.require(a.matches("[^:/\\s]+:\\d{1,5}"), path + ".addresses[" + i + "]", a,
                    "is not host:port", "write it as host:port without a scheme, e.g. 127.0.0.1:6379");
        }
        problems.require(database >= 0 && database <= 15, path + ".database", database, "is out of range",
                "use 0 to 15");
        problems.require(mode != Mode.CLUSTER || database == 0, path + ".database", database,
                "cannot be used with a cluster", "set redis.database to 0 in cluster mode");
        problems.require(mode != Mode.SENTINEL || (masterName != null && !masterName.isBlank()),
                path + ".masterName", masterName, "is required in sentinel mode",
                "set the name from 'sentinel monitor <name> ...', e.g. mymaster");
        problems.require(!connectTimeout.isNegative() && !connectTimeout.isZero(), path + ".connectTimeout",
                connectTimeout, "must be positive", "use e.g. 2s");
        problems.require(!timeout.isNegative() && !timeout.isZero(), path + ".timeout", timeout,
                "must be positive", "use e.g. 1s");
        problems.require(subscriptionsPerConnection >= 1, path + ".subscriptionsPerConnection",
                subscriptionsPerConnection, "must be at least 1", "use e.g. 1000");
        problems.require(retryAttempts >= 0, path + ".retryAttempts", retryAttempts, "must not be negative",
                "use 0 or more");
        if (password != null && password.unresolvableReason() != null) {
            problems.add(path + ".password", password, password.unresolvableReason(),
                    "set it, or point redis.password at the right reference");
        }
        if (tls.enabled()) {
            problems.require(tls.truststore() == null || Files.isReadable(tls.truststore()), path + ".tls.truststore",
                    tls.truststore(), "cannot be read", "point it at a PKCS#12 or JKS trust store");
            problems.require(tls.keystore() == null || Files.isReadable(tls.keystore()), path + ".tls.keystore",
                    tls.keystore(), "cannot be read", "point it at a PKCS#12 key store with the client certificate");
        }
    }

    /** Where to connect, for logs and health (no credentials). */
    public String describe() {
        return mode.name().toLowerCase(Locale.ROOT) + (tls.enabled() ? "+tls " : " ") + String.join(",", addresses)
                + (username != null ? " as " + username : "");
    }

    /** Copies a config and changes selected values. */
    public static final class Builder {
        private boolean enabled;
        private boolean required;
        private Mode mode;
        private List<String> addresses;
        private int database;
        private String masterName;
        private String username;
        private Secret password;
        private Tls tls;
        private Duration connectTimeout;
        private Duration timeout;
        private int retryAttempts;
        private Duration retryInterval;
        private int subscriptionsPerConnection;

        private Builder(RedisConfig c) {
            enabled = c.enabled;
            required = c.required;
            mode = c.mode;
            addresses = c.addresses;
            database = c.database;
            masterName = c.masterName;
            username = c.username;
            password = c.password;
            tls = c.tls;
            connectTimeout = c.connectTimeout;
            timeout = c.timeout;
            retryAttempts = c.retryAttempts;
            retryInterval = c.retryInterval;
            subscriptionsPerConnection = c.subscriptionsPerConnection;
        }

        public Builder enabled(boolean v) { enabled = v; return this; }
        public Builder required(boolean v) { required = v; return this; }
        public Builder mode(Mode v) { mode = Objects.requireNonNull(v); return this; }
        public Builder addresses(List<String> v) { addresses = List.copyOf(v); return this; }
        public Builder database(int v) { database = v; return this; }
        public Builder masterName(String v) { masterName = v; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder password(Secret v) { password = v; return this; }
        public Builder tls(Tls v) { tls = Objects.requireNonNull(v); return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder retryAttempts(int v) { retryAttempts = v; return this; }
        public Builder retryInterval(Duration v) { retryInterval = v; return this; }
        public Builder subscriptionsPerConnection(int v) { subscriptionsPerConnection = v; return this; }

        public RedisConfig build() {
            return new RedisConfig(enabled, required, mode, addresses, database, masterName, username, password, tls,
                    connectTimeout, timeout, retryAttempts, retryInterval, subscriptionsPerConnection);
        }
    }
}
