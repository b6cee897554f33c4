package io.spaghetti.sdk.flags.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.getunleash.variant.Variant;
import io.spaghetti.sdk.flags.FlagContext;

/**
 * The engine's answers for one state, by flag and context, for the flags {@link FlagState} finds deterministic.
 * A new state starts a new instance, so an answer computed from the old state can never be reused in the new one.
 */
final class ReusedAnswers {
    private record Key(String flag, FlagContext context) {
    }

    private final Cache<Key, Boolean> enabled;
    private final Cache<Key, Variant> variants;

    ReusedAnswers(int maxSize) {
        this.enabled = Caffeine.newBuilder().maximumSize(maxSize).build();
        this.variants = Caffeine.newBuilder().maximumSize(maxSize).build();
    }

    Boolean enabled(String flag, FlagContext context) {
        return enabled.getIfPresent(new Key(flag, context));
    }

    void enabled(String flag, FlagContext context, boolean on) {
        enabled.put(new Key(flag, context), on);
    }

    Variant variant(String flag, FlagContext context) {
        return variants.getIfPresent(new Key(flag, context));
    }

    void variant(String flag, FlagContext context, Variant variant) {
        variants.put(new Key(flag, context), variant);
    }
}
