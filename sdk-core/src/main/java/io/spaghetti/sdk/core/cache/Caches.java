package io.spaghetti.sdk.core.cache;

/** Creates and hands out the named caches; one instance per name. */
public interface Caches {

    /** The cache named {@code name}, with JSON values of {@code type} and the spec from config. */
    <V> TieredCache<V> cache(String name, Class<V> type);

    /** The cache named {@code name} with its own codec and spec; the first call for a name decides them. */
    <V> TieredCache<V> cache(String name, ValueCodec<V> codec, CacheSpec spec);

    /** The spec config gives this cache name. */
    CacheSpec specFor(String name);
}
