package io.spaghetti.sdk.core.redis;

import java.util.Locale;
import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.internal.redis.RedissonClientFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.BaseRedisNodes;
import org.redisson.api.redisnode.RedisNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's one shared Redisson client (module {@code redis}), in single, cluster or sentinel
 * mode. Optional by default: when Redis is down at start-up the SDK starts DEGRADED and
 * connects in the background; {@link #onConnected} tells dependents when it does.
 */
public final class RedisModule implements SdkModule {
    private static final Logger log = LoggerFactory.getLogger(RedisModule.class);
    private final List<ConnectListener> connectListeners = new CopyOnWriteArrayList<>();
    private final RedissonClient external;
    private volatile RedisConfig config;
    private volatile RedissonClient client;

    /** Connects its own client from {@code redis.*} at start. */
    public RedisModule() {
        this.external = null;
    }

    /**
     * Shares a client the application already has (a Spring {@code RedissonClient} bean) instead of connecting
     * one: {@code redis.*} connection settings are then unused, and {@link #close} leaves the client running.
     */
    public RedisModule(RedissonClient existing) {
        this.external = java.util.Objects.requireNonNull(existing, "existing");
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public ConfigSection<RedisConfig> configSection() {
        return RedisConfig.SECTION;
    }

    @Override
    public void start(ModuleContext context) {
        RedisConfig c = context.config().redis();
        RedissonClient connected = external != null ? external : RedissonClientFactory.create(c);
        config = c;
        client = connected;
        // A dependent's listener failing is that dependent's problem: Redis is up, and the client stays published.
        connectListeners.forEach(l -> l.run(connected));
    }

    /**
     * A listener with a once-only guard: registration and the background start may both see the client
     * (registration adds, then reads the client, while start publishes, then walks the listeners).
     */
    private static final class ConnectListener {
        private final Consumer<RedissonClient> listener;
        private final AtomicBoolean ran = new AtomicBoolean();

        ConnectListener(Consumer<RedissonClient> listener) {
            this.listener = listener;
        }

        void run(RedissonClient client) {
            if (!ran.compareAndSet(false, true)) {
                return;
            }
            try {
                listener.accept(client);
            } catch (RuntimeException e) {
                log.warn("A Redis connect listener failed ({}); the module that registered it must recover",
                        e.toString());
            }
        }
    }

    /**
     * The connected client.
     *
     * @throws IllegalStateException while Redis has not been reached yet
     */
    public RedissonClient client() {
        RedissonClient c = client;
        if (c == null) {
            throw new IllegalStateException("Redis is not connected yet (module redis is DEGRADED or DISABLED)");
        }
        return c;
    }

    /**
     * A separate client to another database of the same Redis (single and sentinel modes; a cluster has only 0),
     * with this module's connection settings. The caller owns it and shuts it down.
     *
     * @throws IllegalStateException while Redis has not been reached yet
     */
    public RedissonClient newClientForDatabase(int database) {
        client();
        return RedissonClientFactory.create(config.toBuilder().database(database).build());
    }

    public Optional<RedissonClient> clientIfConnected() {
        return Optional.ofNullable(client);
    }

    /** Runs {@code listener} with the client once connected: now, or when the background retry succeeds. */
    public void onConnected(Consumer<RedissonClient> listener) {
        ConnectListener once = new ConnectListener(listener);
        connectListeners.add(once);
        RedissonClient c = client;
        if (c != null) {
            once.run(c);
        }
    }

    @Override
    public Health health() {
        RedissonClient c = client;
        if (c == null) {
            return Health.down("not connected");
        }
        RedisNodes<? extends BaseRedisNodes> kind = switch (config.mode()) {
            case SINGLE -> RedisNodes.SINGLE;
            case CLUSTER -> RedisNodes.CLUSTER;
            case SENTINEL -> RedisNodes.SENTINEL_MASTER_SLAVE;
        };
        Map<String, Object> details = Health.details("mode", config.mode().name().toLowerCase(Locale.ROOT), "target", config.describe());
        boolean ok;
        try {
            ok = c.getRedisNodes(kind).pingAll(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            ok = false;
        }
        if (ok) {
            return Health.up(details);
        }
        // One server that does not answer is Redis down (a required redis then fails readiness); in a cluster or
        // sentinel set, the client still reaches the nodes that answer.
        return config.mode() == RedisConfig.Mode.SINGLE
                ? Health.down("Redis did not answer PING").withDetails(details)
                : Health.degraded("not every Redis node answered PING").withDetails(details);
    }

    @Override
    public void close() {
        RedissonClient c = client;
        client = null;
        if (c != null && c != external) {
            c.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
