package io.spaghetti.sdk.core.internal.cache;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
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
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** A gap is read from the log once Redis answers: tried every second, then every L1 is cleared. */
    private static final int RECOVERY_ATTEMPTS = 60;

    private final CacheConfig config;
    private final String namespacePrefix;
    private final MeterRegistry registry;
    private final ExecutorService async;
    private final RedisL2 l2;
    private final CacheObservations observations;
    private final InvalidationBus bus;
    private final InvalidationLog invalidationLog;
    private final InvalidationOutbox outbox = new InvalidationOutbox();
    private final Object recovering = new Object();
    private final Object replaying = new Object();
    private final AtomicBoolean replayQueued = new AtomicBoolean();
    private final Executor retryLater;
    private final Counter gapsRecovered;
    private final Counter gapsCleared;
    private final Counter recoveredEntries;
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
        String channel = namespacePrefix + "cache-invalidations";
        this.bus = new InvalidationBus(channel, this::onRemoteInvalidation, this::recover, async);
        this.retryLater = CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, async);
        this.invalidationLog = new InvalidationLog(namespacePrefix + "cache-invalidations:log", channel);
        this.gapsRecovered = Counter.builder("cache.invalidation.gaps").tag("outcome", "recovered")
                .description("Possible gaps in the invalidations received (re-subscribe, outage, skipped numbers)"
                        + " by how they ended: read from the invalidation log, or every L1 cleared")
                .register(registry);
        this.gapsCleared = Counter.builder("cache.invalidation.gaps").tag("outcome", "full_clear").register(registry);
        this.recoveredEntries = Counter.builder("cache.invalidation.recovered")
                .description("Invalidations applied from the invalidation log after a gap").register(registry);
        Gauge.builder("cache.invalidation.outbox", outbox, InvalidationOutbox::size)
                .description("Invalidations Redis did not take, waiting to be sent").register(registry);
        FunctionCounter.builder("cache.invalidation.outbox.overflows", outbox, InvalidationOutbox::overflows)
                .description("Invalidations dropped from a full outbox (their caches are invalidated whole)")
                .register(registry);
        policy.circuitBreaker().getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
                // what this instance could not send goes first, then what it may have missed is read back
                queueReplay();
                recover("Redis is back after an outage");
                verifySubscription();
            } else if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                bus.markUnverified();
                log.warn("Cache L2 (Redis) circuit opened: serving L1 and loaders until Redis recovers");
            }
        });
    }

    /** Connects the caches to Redis (at start-up, or later when Redis comes up). */
    public void attach(RedissonClient client) {
        InvalidationLog.Position logEnd;
        try {
            logEnd = invalidationLog.last(client).toCompletableFuture()
                    .get(config.defaults().l2Timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            logEnd = null;   // unknown: the first gap clears every L1, as before the log existed
            log.warn("Could not read the end of the cache invalidation log: {}", e.toString());
        }
        bus.subscribe(client, logEnd);
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
            send(cache, key, bus.encode(cache.name(), key, null));
            return;
        }
        Map<String, String> headers = CacheObservations.newHeaders();
        Observation publish = observations.publish(cache.name(), headers).start();
        try (Observation.Scope ignored = publish.openScope()) {
            send(cache, key, bus.encode(cache.name(), key, headers));
        } finally {
            publish.stop();
        }
    }

    /** Through the invalidation log; what Redis refuses waits in the outbox, in order, until it is back. */
    private void send(TieredCacheImpl<?> cache, String key, String message) {
        InvalidationOutbox.Pending p = new InvalidationOutbox.Pending(cache, key, message);
        if (outbox.queueIfWaiting(p)) {
            return;
        }
        try {
            l2.call(cache.spec().l2Timeout(), c -> invalidationLog.publish(c, message));
            cache.onInvalidationSent();
        } catch (L2Exception e) {
            cache.countL2Error(e);
            outbox.add(p);
        }
    }

    /**
     * Queues one replay unless one is queued or running already: it sends until the outbox is empty, also what
     * joined it meanwhile (the 1 s probe used to queue a thread per second behind a long replay).
     */
    private void queueReplay() {
        if (!replayQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            async.execute(() -> {
                try {
                    replayOutbox();
                } finally {
                    replayQueued.set(false);
                }
            });
        } catch (RejectedExecutionException closed) {
            replayQueued.set(false);
        }
    }

    /**
     * Sends what waits in the outbox, oldest first, each after a tombstone in L2 (the write it follows may not have
     * reached Redis); stops at the first refusal, to go on when Redis is back again.
     */
    private void replayOutbox() {
        // its own lock: senders only touch the outbox briefly and never wait for a replay's Redis calls
        synchronized (replaying) {
            Set<TieredCacheImpl<?>> whole = outbox.takeOverflowed();
            try {
                for (TieredCacheImpl<?> c : whole) {
                    resend(new InvalidationOutbox.Pending(c, null, bus.encode(c.name(), null, null)));
                }
            } catch (L2Exception e) {
                outbox.restoreOverflowed(whole);
                return;
            }
            int sent = 0;
            for (InvalidationOutbox.Pending p = outbox.peek(); p != null; p = outbox.peek()) {
                try {
                    resend(p);
                } catch (L2Exception e) {
                    p.cache().countL2Error(e);
                    log.info("Cache invalidation outbox: {} sent, {} still waiting for Redis", sent, outbox.size());
                    return;
                }
                outbox.sent(p);
                sent++;
            }
            if (sent > 0) {
                log.info("Cache invalidation outbox: {} invalidations made while Redis was away are sent", sent);
            }
        }
    }

    /** The L2 entry (or the whole cache) cleared, then the invalidation published; throws when Redis refuses. */
    private void resend(InvalidationOutbox.Pending p) {
        if (p.key() == null) {
            p.cache().clearL2();
        } else {
            p.cache().tombstoneL2(p.key());
        }
        l2.call(p.cache().spec().l2Timeout(), c -> invalidationLog.publish(c, p.message()));
        p.cache().onInvalidationSent();
    }

    /**
     * Something may have been missed: applies what the invalidation log holds after this instance's position, or,
     * when the log cannot say (trimmed past it, lost in a failover, unreadable), clears every L1.
     */
    private void recover(String why) {
        recover(why, 1);
    }

    /** Redis unreachable is not a reason to clear: nothing can be published meanwhile, so the log is read later. */
    private void recover(String why, int attempt) {
        async.execute(() -> {
            synchronized (recovering) {
                long suspicions = bus.suspicions();
                InvalidationLog.Position from = bus.applied();
                if (from == null) {
                    gapsCleared.increment();
                    clearAllL1(why + " (the invalidation log's position is not known yet)");
                    return;
                }
                InvalidationLog.Since since;
                try {
                    since = l2.call(Duration.ofSeconds(5), c -> invalidationLog.since(c, from));
                } catch (L2Exception e) {
                    if (attempt < RECOVERY_ATTEMPTS) {
                        retryLater.execute(() -> recover(why, attempt + 1));
                    } else {
                        gapsCleared.increment();
                        clearAllL1(why + " (the invalidation log could not be read for " + RECOVERY_ATTEMPTS
                                + " s: " + e.kind + ")");
                    }
                    return;
                }
                if (!since.covered()) {
                    gapsCleared.increment();
                    clearAllL1(why + " (the invalidation log no longer holds what came after " + from + ")");
                } else {
                    since.entries().forEach(bus::replay);
                    gapsRecovered.increment();
                    recoveredEntries.increment(since.entries().size());
                    log.info("Cache invalidations after {} read back from the log ({}): {} applied, no L1 cleared",
                            from, why, since.entries().size());
                }
                bus.recovered(since.last(), suspicions);
            }
        });
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
     * Sends what waits in the outbox, and calls Redis through the breaker while it is not closed, so it closes (and
     * health returns to UP) as soon as Redis is back, not when some L1 miss happens to reach it. Run every second.
     */
    public void probe() {
        if (l2.attached() && outbox.size() > 0) {
            // also when the breaker never opened: a few refused sends must not hold the ones behind them
            queueReplay();
        }
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
