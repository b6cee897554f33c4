package io.spaghetti.sdk.core.internal.cache;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.cache.CacheConfig;
import io.spaghetti.sdk.core.cache.CacheSpec;
import io.spaghetti.sdk.core.cache.Caches;
import io.spaghetti.sdk.core.cache.TieredCache;
import io.spaghetti.sdk.core.cache.ValueCodec;
import io.spaghetti.sdk.core.internal.cache.RedisL2.L2Exception;
import io.spaghetti.sdk.core.resilience.RemotePolicy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named caches of one SDK, their shared L2 access and invalidation channel. L1 is cleared
 * whenever invalidations may have been missed: on attaching to Redis, on re-subscription, and
 * when the circuit breaker closes after an outage.
 */
public final class CachesImpl implements Caches {
    private static final Logger log = LoggerFactory.getLogger(CachesImpl.class);

    private final CacheConfig config;
    private final String namespacePrefix;
    private final MeterRegistry registry;
    private final ExecutorService async;
    private final RedisL2 l2;
    private final CacheObservations observations;
    private final InvalidationBus bus;
    private final Map<String, TieredCacheImpl<?>> caches = new ConcurrentHashMap<>();
    private final boolean redisEnabled;

    public CachesImpl(CacheConfig config, String namespace, boolean redisEnabled, MeterRegistry registry,
            ObservationRegistry observations, RemotePolicy policy, ExecutorService async) {
        this.config = config;
        this.observations = new CacheObservations(observations);
        this.redisEnabled = redisEnabled;
        this.namespacePrefix = "spaghetti:" + namespace + ":";
        this.registry = registry;
        this.async = async;
        this.l2 = new RedisL2(policy, redisEnabled);
        this.bus = new InvalidationBus(namespacePrefix + "cache-invalidations", this::onRemoteInvalidation,
                () -> clearAllL1("invalidation subscription restored"));
        policy.circuitBreaker().getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
                clearAllL1("Redis is back after an outage");
                verifySubscription();
            } else if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                bus.markUnverified();
                log.warn("Cache L2 (Redis) circuit opened: serving L1 and loaders until Redis recovers");
            }
        });
    }

    /** Connects the caches to Redis (at start-up, or later when Redis comes up). */
    public void attach(RedissonClient client) {
        bus.subscribe(client);
        l2.attach(client);
        clearAllL1("attached to Redis");
    }

    @Override
    public <V> TieredCache<V> cache(String name, Class<V> type) {
        return cache(name, ValueCodec.json(type), specFor(name));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> TieredCache<V> cache(String name, ValueCodec<V> codec, CacheSpec spec) {
        if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("cache name '" + name
                    + "' must be lower-case letters, digits, '-' or '_' (it becomes part of Redis keys and metric tags)");
        }
        return (TieredCache<V>) caches.computeIfAbsent(name, n -> new TieredCacheImpl<>(n,
                namespacePrefix + n + ":v" + spec.schemaVersion() + ":", spec, codec, l2, this, registry, observations, async));
    }

    @Override
    public CacheSpec specFor(String name) {
        return config.specFor(name);
    }

    void publish(TieredCacheImpl<?> cache, String key) {
        if (!l2.attached()) {
            return;
        }
        if (observations.off()) {
            send(cache, bus.encode(cache.name(), key, null));
            return;
        }
        Map<String, String> headers = CacheObservations.newHeaders();
        Observation publish = observations.publish(cache.name(), headers).start();
        try (Observation.Scope ignored = publish.openScope()) {
            send(cache, bus.encode(cache.name(), key, headers));
        } finally {
            publish.stop();
        }
    }

    private void send(TieredCacheImpl<?> cache, String message) {
        try {
            l2.call(cache.spec().l2Timeout(), c -> bus.topic().publishAsync(message));
            cache.onInvalidationSent();
        } catch (L2Exception e) {
            cache.countL2Error(e);
        }
    }

    /** Publishes a self-ping if the subscription is unverified; the bus clears L1 when it returns. */
    private void verifySubscription() {
        String ping = bus.nextPing();
        if (ping == null) {
            return;
        }
        try {
            l2.call(config.defaults().l2Timeout(), c -> bus.topic().publishAsync(ping));
        } catch (L2Exception e) {
            bus.pingFailed();
        }
    }

    private void onRemoteInvalidation(InvalidationBus.Message m) {
        TieredCacheImpl<?> c = caches.get(m.c());
        if (c == null) {
            return;
        }
        if (observations.off()) {
            c.onRemoteInvalidation(m.k());
            return;
        }
        Observation receipt = observations.receive(m.c(), m.h()).start();
        try (Observation.Scope ignored = receipt.openScope()) {
            log.debug("Invalidation of cache {} ({}) received from instance {}", m.c(),
                    m.k() == null ? "every key" : "one key", m.o());
            c.onRemoteInvalidation(m.k());
        } finally {
            receipt.stop();
        }
    }

    private void clearAllL1(String why) {
        if (!caches.isEmpty()) {
            log.info("Clearing every L1 cache: {}", why);
        }
        caches.values().forEach(TieredCacheImpl::clearL1);
    }

    /**
     * Calls Redis through the breaker while it is not closed, so it closes (and health returns to UP) as soon as
     * Redis is back, not when some L1 miss happens to reach it. Run on a schedule.
     */
    public void probe() {
        CircuitBreaker.State state = l2.policy().circuitBreaker().getState();
        if (!l2.attached() || state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.FORCED_OPEN) {
            return;
        }
        try {
            l2.call(config.defaults().l2Timeout(), c -> c.getBucket(namespacePrefix + "probe").isExistsAsync());
        } catch (L2Exception e) {
            log.debug("Cache L2 probe failed: {}", e.kind);
        }
    }

    public Health health() {
        Map<String, Object> details = Health.details("caches", caches.size(),
                "l2Circuit", l2.policy().circuitBreaker().getState().name());
        if (!redisEnabled) {
            return Health.up(Health.details("caches", caches.size(), "mode", "l1-only (redis.enabled: false)"));
        }
        if (!l2.attached()) {
            return Health.degraded("L2 (Redis) not connected: serving L1 and loaders").withDetails(details);
        }
        CircuitBreaker.State state = l2.policy().circuitBreaker().getState();
        if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
            return Health.degraded("L2 (Redis) circuit is open: serving L1 and loaders").withDetails(details);
        }
        if (!bus.verified()) {
            verifySubscription();
            return Health.degraded("verifying the invalidation subscription after a Redis outage; L1 is cleared "
                    + "when it is back").withDetails(details);
        }
        return Health.up(details);
    }

    public void close() {
        bus.close();
        async.shutdownNow();
    }
}
