package io.spaghetti.sdk.core.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.spaghetti.sdk.core.cache.CacheSpec;
import io.spaghetti.sdk.core.cache.TieredCache;
import io.spaghetti.sdk.core.cache.ValueCodec;
import io.spaghetti.sdk.core.internal.cache.RedisL2.L2Exception;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RLock;
import org.redisson.client.codec.ByteArrayCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * L1 Caffeine over L2 Redis. Loads are single-flight per key in this instance (and across
 * instances with a Redis lease when {@code clusterWideLoad}). A load that overlaps an
 * invalidation returns its value but does not store it in L1, so L1 never keeps a value older
 * than the last invalidation it saw.
 */
final class TieredCacheImpl<V> implements TieredCache<V> {
    private static final Logger log = LoggerFactory.getLogger(TieredCacheImpl.class);
    private static final byte VALUE = 1;
    private static final byte NULL = 0;
    /**
     * What {@code invalidate} leaves in L2 for {@code leaseTime}: a miss for readers, and loaders write with
     * SET NX, so a load that read the source before the invalidation cannot put its older value back.
     */
    private static final byte TOMBSTONE = 2;
    private static final byte[] TOMBSTONE_BYTES = {TOMBSTONE};

    /**
     * An L1 entry; {@code value == null} is a cached null, which expires at {@code nullDeadline}
     * (System.nanoTime). Caffeine's variable expiry would give nulls their own TTL too, but costs
     * about 4x on every hit, so L1 uses fixed expiry and nulls carry their deadline.
     */
    private record Holder(Object value, long nullDeadline) {
        Holder(Object value) {
            this(value, 0L);
        }

        boolean expiredNull(long now) {
            return value == null && now - nullDeadline > 0;
        }
    }

    private final String name;
    private final String keyPrefix;
    private final CacheSpec spec;
    private final ValueCodec<V> codec;
    private final RedisL2 l2;
    private final CachesImpl owner;
    private final CacheMetrics metrics;
    private final CacheObservations observations;
    private final ExecutorService async;
    private final Cache<String, Holder> l1;
    private final ConcurrentHashMap<String, CompletableFuture<Holder>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicBoolean oversizeWarned = new AtomicBoolean();

    TieredCacheImpl(String name, String keyPrefix, CacheSpec spec, ValueCodec<V> codec, RedisL2 l2, CachesImpl owner,
            MeterRegistry registry, CacheObservations observations, ExecutorService async) {
        this.name = name;
        this.keyPrefix = keyPrefix;
        this.spec = spec;
        this.codec = codec;
        this.l2 = l2;
        this.owner = owner;
        this.async = async;
        this.metrics = new CacheMetrics(registry, name);
        this.observations = observations;
        this.l1 = Caffeine.newBuilder()
                .maximumSize(spec.l1MaxSize())
                .expireAfterWrite(spec.l1Ttl())
                // Maintenance on the caller's thread: no hop to the common pool on every write.
                .executor(Runnable::run)
                .removalListener((String k, Holder h, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        metrics.evictions.increment();
                    }
                })
                .build();
        Gauge.builder("cache.size", l1, Cache::estimatedSize).tag("cache", name).tag("tier", "l1")
                .description("Entries in this instance's L1").register(registry);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(String key, Function<String, ? extends V> loader) {
        Holder h = l1Get(key);
        if (h != null) {
            metrics.l1Hit.increment();
            observations.l1Hit(name);
            return (V) h.value();
        }
        metrics.l1Miss.increment();
        if (observations.off()) {
            return (V) loadOnce(key, loader, Observation.NOOP).value();
        }
        Observation read = observations.get(name).start();
        try (Observation.Scope ignored = read.openScope()) {
            return (V) loadOnce(key, loader, read).value();
        } catch (RuntimeException | Error e) {
            read.error(e);
            throw e;
        } finally {
            read.stop();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<V> getIfPresent(String key) {
        Holder h = l1Get(key);
        if (h != null) {
            metrics.l1Hit.increment();
            return Optional.ofNullable((V) h.value());
        }
        metrics.l1Miss.increment();
        long startEpoch = epoch.get();
        Holder fromL2 = readL2(key);
        if (fromL2 == null) {
            return Optional.empty();
        }
        storeL1(key, fromL2, startEpoch);
        return Optional.ofNullable((V) fromL2.value());
    }

    /** The live L1 entry, or null; a cached null past its nullTtl is dropped. */
    private Holder l1Get(String key) {
        Holder h = l1.getIfPresent(key);
        if (h != null && h.value() == null && h.expiredNull(System.nanoTime())) {
            l1.asMap().remove(key, h);
            return null;
        }
        return h;
    }

    /** Reads L2, else loads; {@code read} learns which tier answered. */
    private Holder loadOnce(String key, Function<String, ? extends V> loader, Observation read) {
        CompletableFuture<Holder> mine = new CompletableFuture<>();
        CompletableFuture<Holder> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            read.lowCardinalityKeyValue("tier", "shared").lowCardinalityKeyValue("outcome", "miss");
            return running.join();
        }
        try {
            long startEpoch = epoch.get();
            Holder h = readL2(key);
            if (h == null) {
                read.lowCardinalityKeyValue("tier", "loader").lowCardinalityKeyValue("outcome", "miss");
                h = spec.clusterWideLoad() && l2.attached() ? loadUnderLease(key, loader) : loadAndWrite(key, loader);
            } else {
                read.lowCardinalityKeyValue("tier", "l2").lowCardinalityKeyValue("outcome", "hit");
            }
            storeL1(key, h, startEpoch);
            mine.complete(h);
            return h;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private Holder loadUnderLease(String key, Function<String, ? extends V> loader) {
        RLock lease;
        boolean acquired;
        try {
            lease = l2.client().getLock(l2Key(key) + ":lease");
            acquired = lease.tryLock(spec.leaseWait().toMillis(), spec.leaseTime().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return loadAndWrite(key, loader);
        } catch (RuntimeException e) {
            countL2Error(e);
            return loadAndWrite(key, loader);
        }
        try {
            // The holder we waited for has usually written the value by now.
            Holder h = readL2(key);
            return h != null ? h : loadAndWrite(key, loader);
        } finally {
            if (acquired) {
                lease.unlockAsync();
            }
        }
    }

    private Holder loadAndWrite(String key, Function<String, ? extends V> loader) {
        Holder h = load(key, loader);
        if (h.value() != null || spec.cacheNulls()) {
            writeL2(key, h, true);
        }
        return h;
    }

    private Holder load(String key, Function<String, ? extends V> loader) {
        return new Holder(timed(() -> loader.apply(key)));
    }

    /** Runs a loader call, counting it and its time. */
    private <T> T timed(java.util.function.Supplier<T> loaderCall) {
        long t0 = System.nanoTime();
        try {
            T v = loaderCall.get();
            metrics.loadSuccess.increment();
            return v;
        } catch (RuntimeException e) {
            metrics.loadFailure.increment();
            throw e;
        } finally {
            metrics.loadTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Keeps a value read or loaded since {@code startEpoch} in L1, unless a put or invalidation happened
     * meanwhile (the value may predate it). The check and the store are one atomic step on the key, and
     * every writer bumps the epoch inside its own step on the key after writing L2 ({@link #replaceL1}),
     * so a store that passes the check can never land after a newer put or invalidation of that key.
     */
    private void storeL1(String key, Holder h, long startEpoch) {
        if (h.value() == null && !spec.cacheNulls()) {
            return;
        }
        Holder stored = withNullDeadline(h);
        l1.asMap().compute(key, (k, current) -> epoch.get() == startEpoch ? stored : current);
    }

    /**
     * Sets (or with null removes) a key's L1 entry and bumps the epoch, in one atomic step on the key. A load of
     * the key still running started before this write: later callers must not join it, so it leaves the
     * single-flight map (its own callers still get its value; it keeps nothing in L1).
     */
    private void replaceL1(String key, Holder h) {
        l1.asMap().compute(key, (k, current) -> {
            epoch.incrementAndGet();
            return h;
        });
        inFlight.remove(key);
    }

    private Holder withNullDeadline(Holder h) {
        return h.value() == null ? new Holder(null, System.nanoTime() + spec.nullTtl().toNanos()) : h;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, V> getAll(Collection<String> keys, Function<Set<String>, Map<String, ? extends V>> loader) {
        Map<String, V> result = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String key : new LinkedHashSet<>(keys)) {
            Holder h = l1Get(key);
            if (h != null) {
                metrics.l1Hit.increment();
                if (h.value() != null) {
                    result.put(key, (V) h.value());
                }
            } else {
                metrics.l1Miss.increment();
                missing.add(key);
            }
        }
        if (missing.isEmpty()) {
            return result;
        }
        long startEpoch = epoch.get();
        Map<String, Holder> fromL2 = readL2All(missing);
        Set<String> toLoad = new LinkedHashSet<>();
        for (String key : missing) {
            Holder h = fromL2.get(key);
            if (h == null) {
                toLoad.add(key);
                continue;
            }
            storeL1(key, h, startEpoch);
            if (h.value() != null) {
                result.put(key, (V) h.value());
            }
        }
        if (!toLoad.isEmpty()) {
            Map<String, ? extends V> returned = timed(() -> loader.apply(toLoad));
            Map<String, ? extends V> loaded = returned == null ? Map.of() : returned;
            for (String key : toLoad) {
                Holder h = new Holder(loaded.get(key));
                if (h.value() != null || spec.cacheNulls()) {
                    writeL2(key, h, true);
                }
                storeL1(key, h, startEpoch);
                if (h.value() != null) {
                    result.put(key, (V) h.value());
                }
            }
        }
        return result;
    }

    @Override
    public void put(String key, V value) {
        Holder h = new Holder(value);
        // L2 first: a load that starts after the epoch moves must find the new value there.
        writeL2(key, h, false);
        metrics.puts.increment();
        replaceL1(key, withNullDeadline(h));
        owner.publish(this, key);
    }

    @Override
    public void invalidate(String key) {
        if (l2Usable()) {
            try {
                tombstoneL2(key);
            } catch (L2Exception e) {
                countL2Error(e);
            }
        }
        replaceL1(key, null);
        owner.publish(this, key);
    }

    /** Writes the invalidation tombstone to L2; throws when Redis does not take it. */
    void tombstoneL2(String key) {
        l2.call(spec.l2Timeout(), c -> c.getBucket(l2Key(key), ByteArrayCodec.INSTANCE)
                .setAsync(TOMBSTONE_BYTES, spec.leaseTime()));
    }

    /** Deletes every L2 entry of this cache; throws when Redis does not take it. */
    void clearL2() {
        l2.call(Duration.ofSeconds(30), c -> c.getKeys().deleteByPatternAsync(keyPrefix + "*"));
    }

    @Override
    public void invalidateAll() {
        if (l2Usable()) {
            try {
                clearL2();
            } catch (L2Exception e) {
                countL2Error(e);
            }
        }
        clearL1();
        owner.publish(this, null);
    }

    @Override
    public CompletableFuture<V> getAsync(String key, Function<String, ? extends V> loader) {
        return CompletableFuture.supplyAsync(() -> get(key, loader), async);
    }

    @Override
    public CompletableFuture<Void> putAsync(String key, V value) {
        return CompletableFuture.runAsync(() -> put(key, value), async);
    }

    @Override
    public CompletableFuture<Void> invalidateAsync(String key) {
        return CompletableFuture.runAsync(() -> invalidate(key), async);
    }

    @Override
    public long l1Size() {
        return l1.estimatedSize();
    }

    /** An invalidation from another instance. */
    void onRemoteInvalidation(String key) {
        metrics.invalidationsReceived.increment();
        if (key == null) {
            epoch.incrementAndGet();
            l1.invalidateAll();
            inFlight.clear();
        } else {
            replaceL1(key, null);
        }
    }

    void onInvalidationSent() {
        metrics.invalidationsSent.increment();
    }

    void clearL1() {
        epoch.incrementAndGet();
        l1.invalidateAll();
        inFlight.clear();
        metrics.l1Clears.increment();
    }

    String l2Key(String key) {
        return keyPrefix + key;
    }

    CacheSpec spec() {
        return spec;
    }

    /**
     * Whether L2 can be called now. Detached counts as an unavailable L2, except where Redis is disabled
     * by configuration: an L1-only cache is working as configured.
     */
    private boolean l2Usable() {
        if (l2.attached()) {
            return true;
        }
        if (l2.enabled()) {
            metrics.l2ErrorUnavailable.increment();
        }
        return false;
    }

    private Holder readL2(String key) {
        if (!l2Usable()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = l2.call(spec.l2Timeout(), c -> c.<byte[]>getBucket(l2Key(key), ByteArrayCodec.INSTANCE).getAsync());
        } catch (L2Exception e) {
            countL2Error(e);
            return null;
        }
        return decode(key, bytes);
    }

    private Map<String, Holder> readL2All(List<String> keys) {
        if (!l2Usable()) {
            return Map.of();
        }
        BatchResult<?> batch;
        try {
            batch = l2.call(spec.l2Timeout(), c -> {
                RBatch b = c.createBatch();
                for (String k : keys) {
                    b.getBucket(l2Key(k), ByteArrayCodec.INSTANCE).getAsync();
                }
                return b.executeAsync();
            });
        } catch (L2Exception e) {
            countL2Error(e);
            return Map.of();
        }
        Map<String, Holder> out = new HashMap<>();
        List<?> responses = batch.getResponses();
        for (int i = 0; i < keys.size(); i++) {
            Holder h = decode(keys.get(i), (byte[]) responses.get(i));
            if (h != null) {
                out.put(keys.get(i), h);
            }
        }
        return out;
    }

    private Holder decode(String key, byte[] bytes) {
        if (bytes == null) {
            metrics.l2Miss.increment();
            return null;
        }
        if (bytes.length == 1 && bytes[0] == TOMBSTONE) {
            metrics.l2Miss.increment();
            return null;
        }
        try {
            if (bytes.length == 1 && bytes[0] == NULL) {
                metrics.l2Hit.increment();
                return new Holder(null);
            }
            if (bytes.length == 0 || bytes[0] != VALUE) {
                throw new IllegalArgumentException("unknown format marker");
            }
            byte[] payload = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, payload, 0, payload.length);
            Holder h = new Holder(codec.decode(payload));
            metrics.l2Hit.increment();
            return h;
        } catch (RuntimeException e) {
            metrics.l2Corrupt.increment();
            metrics.l2Miss.increment();
            log.warn("Cache {}: undecodable L2 value for a key ({}); treated as a miss", name, e.getClass().getSimpleName());
            return null;
        }
    }

    /** @param fromLoader a loaded value: written only where L2 holds nothing (no newer put, no tombstone) */
    private void writeL2(String key, Holder h, boolean fromLoader) {
        if (!l2Usable()) {
            return;
        }
        byte[] bytes;
        Duration ttl;
        if (h.value() == null) {
            bytes = new byte[] {NULL};
            ttl = spec.nullTtl();
        } else {
            @SuppressWarnings("unchecked")
            byte[] payload = codec.encode((V) h.value());
            if (payload.length + 1 > spec.maxValueBytes()) {
                metrics.l2Oversized.increment();
                if (oversizeWarned.compareAndSet(false, true)) {
                    log.warn("Cache {}: a value of {} bytes exceeds maxValueBytes {} and is kept out of L2 "
                            + "(warned once; see cache.l2.oversized)", name, payload.length, spec.maxValueBytes());
                }
                return;
            }
            bytes = new byte[payload.length + 1];
            bytes[0] = VALUE;
            System.arraycopy(payload, 0, bytes, 1, payload.length);
            ttl = jittered(spec.l2Ttl());
        }
        byte[] toWrite = bytes;
        Duration ttlToWrite = ttl;
        try {
            l2.call(spec.l2Timeout(), c -> {
                var bucket = c.getBucket(l2Key(key), ByteArrayCodec.INSTANCE);
                return fromLoader ? bucket.setIfAbsentAsync(toWrite, ttlToWrite).thenApply(written -> null)
                        : bucket.setAsync(toWrite, ttlToWrite);
            });
        } catch (L2Exception e) {
            countL2Error(e);
        }
    }

    Duration jittered(Duration ttl) {
        double j = spec.l2TtlJitter();
        if (j == 0) {
            return ttl;
        }
        double factor = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * j;
        return Duration.ofMillis(Math.max(1, Math.round(ttl.toMillis() * factor)));
    }

    void countL2Error(Throwable e) {
        if (e instanceof L2Exception l2e) {
            switch (l2e.kind) {
                case TIMEOUT -> metrics.l2ErrorTimeout.increment();
                case UNAVAILABLE -> metrics.l2ErrorUnavailable.increment();
                default -> metrics.l2ErrorOther.increment();
            }
        } else {
            metrics.l2ErrorOther.increment();
        }
    }

}
