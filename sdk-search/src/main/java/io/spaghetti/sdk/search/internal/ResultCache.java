package io.spaghetti.sdk.search.internal;

import io.spaghetti.sdk.core.cache.TieredCache;
import io.spaghetti.sdk.search.SearchPage;
import io.spaghetti.sdk.search.SearchQuery;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Result pages in the tiered cache, keyed by tenant, the tenant's write generation and the query: a write on any
 * instance raises the generation, so no instance reads a page older than the last acknowledged write.
 */
public final class ResultCache {
    private final TieredCache<SearchPage> pages;
    private final TenantWriteClock clock;
    private final long writeVisibilityMillis;

    public ResultCache(TieredCache<SearchPage> pages, TenantWriteClock clock, Duration writeVisibility) {
        this.pages = pages;
        this.clock = clock;
        this.writeVisibilityMillis = writeVisibility.toMillis();
    }

    /** The cached page, else {@code search}'s, kept unless the tenant wrote too recently for it to be complete. */
    public SearchPage get(String tenant, SearchQuery query, Supplier<SearchPage> search) {
        Optional<TenantWriteClock.Generation> gen = clock.read(tenant);
        if (gen.isEmpty()) {
            return search.get();
        }
        String key = tenant + ":" + gen.get().value() + ":" + hash(query);
        long since = gen.get().millisSinceWrite();
        if (since >= 0 && since < writeVisibilityMillis) {
            // the last write may not be searchable yet: a page now could miss it, so it is not kept
            return pages.getIfPresent(key).orElseGet(search);
        }
        return pages.get(key, k -> search.get());
    }

    /** After an acknowledged write of the tenant's documents. */
    public void written(String tenant) {
        clock.written(tenant);
    }

    private static String hash(SearchQuery q) {
        StringBuilder b = new StringBuilder().append(q.text()).append('\u0000').append(q.size()).append('\u0000')
                .append(q.highlight()).append(q.aggregations());
        q.tags().forEach(t -> b.append('\u0000').append(t));
        b.append('\u0001').append(q.cursor());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
