package io.spaghetti.sdk.core.cache;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A named cache: L1 in this instance's memory, L2 in Redis, kept coherent across instances.
 * No method throws because of Redis: when it is down or slow the cache serves L1 and the loader.
 * Keys are strings; values go through the cache's {@link ValueCodec}.
 */
public interface TieredCache<V> {

    String name();

    /** The value from L1, else L2, else the loader (called once per key per instance at a time). */
    V get(String key, Function<String, ? extends V> loader);

    /** The value from L1 or L2, without loading. */
    Optional<V> getIfPresent(String key);

    /** Values for every key; the loader gets the keys found in neither tier, in one call. */
    Map<String, V> getAll(Collection<String> keys, Function<Set<String>, Map<String, ? extends V>> loader);

    /** Writes L2 and L1, and removes the key from every other instance's L1. */
    void put(String key, V value);

    /** Removes the key from L2 and from every instance's L1. */
    void invalidate(String key);

    /** Removes every key of this cache from every instance's L1, and this cache's L2 keys. */
    void invalidateAll();

    CompletableFuture<V> getAsync(String key, Function<String, ? extends V> loader);

    CompletableFuture<Void> putAsync(String key, V value);

    CompletableFuture<Void> invalidateAsync(String key);

    /** Entries in this instance's L1 (approximate). */
    long l1Size();
}
