package io.spaghetti.sdk.core.cache;

import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.DefaultsFrom;
import io.spaghetti.sdk.core.config.ModuleSection;
import java.util.Map;

/**
 * Section {@code cache}: the tiered cache. Defaults in {@code META-INF/spaghetti-sdk/defaults/cache.yaml}.
 *
 * @param namespace the L2 key prefix after {@code spaghetti:}; empty means the service name
 */
public record CacheConfig(boolean enabled, boolean required, String namespace, CacheSpec defaults,
        @DefaultsFrom("defaults") Map<String, CacheSpec> caches) implements ModuleSection {

    public static final ConfigSection<CacheConfig> SECTION = ConfigSection.of("cache", CacheConfig.class);

    public CacheConfig {
        caches = Map.copyOf(caches);
        if (namespace != null && !namespace.isEmpty() && !namespace.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("namespace must be lower-case letters, digits, '-' or '_'");
        }
    }

    /** The spec of the named cache: its own section, else the defaults. */
    public CacheSpec specFor(String cache) {
        return caches.getOrDefault(cache, defaults);
    }
}
