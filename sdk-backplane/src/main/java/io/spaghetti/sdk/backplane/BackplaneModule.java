package io.spaghetti.sdk.backplane;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.backplane.internal.DeliveryLanes;
import io.spaghetti.sdk.backplane.internal.InMemoryHub;
import io.spaghetti.sdk.backplane.internal.RedisHub;
import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.resilience.RemotePolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RedissonClient;

/**
 * Module {@code backplane}: SignalR-compatible hubs over the shared Redis connection. Needs Redis
 * at start; while Redis is unreachable the module is DEGRADED and the SDK retries in the background.
 */
public final class BackplaneModule implements SdkModule {
    private final Map<String, RedisHub> hubs = new ConcurrentHashMap<>();
    private final Map<String, InMemoryHub> localHubs = new ConcurrentHashMap<>();
    private volatile BackplaneConfig config;
    private volatile RedissonClient client;
    private volatile RedissonClient presenceClient;
    private volatile String serverName;
    private volatile CircuitBreaker circuitBreaker;
    private volatile ScheduledExecutorService scheduler;
    private volatile MeterRegistry registry;
    private volatile ObservationRegistry observations = ObservationRegistry.NOOP;
    private volatile java.time.Duration deadline;
    private volatile DeliveryLanes delivery;
    private volatile boolean withoutRedis;
    /** Replicas a streams-mode send waits for: none where Redis has no replicas. */
    private volatile int replicaAcks;

    @Override
    public String name() {
        return "backplane";
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of("redis");
    }

    @Override
    public ConfigSection<BackplaneConfig> configSection() {
        return BackplaneConfig.SECTION;
    }

    @Override
    public void start(ModuleContext context) {
        BackplaneConfig c = context.config().section(BackplaneConfig.SECTION);
        delivery = new DeliveryLanes(Math.max(2, Runtime.getRuntime().availableProcessors()), c.sinkStallTimeout(),
                c.connectionBuffer(), context.threadFactory("backplane-delivery"), context.scheduler());
        scheduler = context.scheduler();
        registry = context.meterRegistry();
        observations = context.observationRegistry();
        config = c;
        if (!context.config().redis().enabled()) {
            // an embedded run with no Redis: hubs live in this process, as ASP.NET Core's do without a backplane
            withoutRedis = true;
            return;
        }
        RedisModule redis = context.module(RedisModule.class);
        RedissonClient shared = redis.client();
        RedisConfig redisConfig = context.config().redis();
        boolean ownPresenceDb = redisConfig.mode() != RedisConfig.Mode.CLUSTER
                && c.presence().database() != redisConfig.database();
        presenceClient = ownPresenceDb ? redis.newClientForDatabase(c.presence().database()) : shared;
        serverName = c.serverName() != null ? c.serverName() : hostName() + "_" + UUID.randomUUID().toString().replace("-", "");
        RemotePolicy policy = context.resilience().policy("redis-backplane");
        circuitBreaker = policy.circuitBreaker();
        deadline = policy.timeLimiter().getTimeLimiterConfig().getTimeoutDuration();
        replicaAcks = redisConfig.mode() == RedisConfig.Mode.SINGLE ? 0 : c.streams().replicaAcks();
        client = shared;
    }

    /**
     * The hub named {@code name} (a .NET hub's type full name), created and subscribed on first use. With
     * {@code redis.enabled: false} it is an in-memory hub: groups, users and sends reach this process's
     * connections only.
     */
    public HubContext hub(String name) {
        if (withoutRedis) {
            return localHubs.computeIfAbsent(name, n -> new InMemoryHub(n, delivery, scheduler,
                    config.clientResultTimeout()));
        }
        if (client == null) {
            throw new IllegalStateException("The backplane is not started: Redis has not been reached yet "
                    + "(module backplane is DEGRADED or DISABLED; see sdk.health())");
        }
        return hubs.computeIfAbsent(name,
                n -> new RedisHub(n, config, client, presenceClient, serverName, circuitBreaker, deadline, scheduler,
                        delivery, registry, observations, replicaAcks));
    }

    /** This server's name on the backplane: acks and client results for it come on its own channels. */
    public String serverName() {
        return serverName;
    }

    @Override
    public Health health() {
        if (withoutRedis) {
            return Health.up(Health.details("mode", "in-memory (redis.enabled: false)", "hubs", localHubs.size()));
        }
        if (client == null) {
            return Health.down("Redis not reached yet");
        }
        Map<String, Object> details = Health.details("server", serverName, "hubs", hubs.size());
        return circuitBreaker.getState() == CircuitBreaker.State.OPEN
                ? Health.degraded("publishes to Redis are failing (circuit open)").withDetails(details)
                : Health.up(details);
    }

    @Override
    public void close() {
        hubs.values().forEach(RedisHub::close);
        hubs.clear();
        localHubs.clear();
        DeliveryLanes d = delivery;
        delivery = null;
        if (d != null) {
            d.close();
        }
        RedissonClient p = presenceClient;
        if (p != null && p != client) {
            p.shutdown(0, 2, TimeUnit.SECONDS);
        }
        presenceClient = null;
        client = null;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
