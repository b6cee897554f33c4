package io.spaghetti.sdk.core.ai;

import java.util.Optional;
import java.util.function.Function;

/**
 * AI answers on the tiered cache ({@code Sdk.aiCache()}): an identical request (same provider, model, prompt and
 * parameters) on any instance reuses the answer for {@code ai.cache.ttl} (or the model's {@code ttlByModel}), and
 * identical concurrent requests make one provider call (across instances with {@code ai.cache.clusterWide}).
 * Keys are hashes: no prompt is stored. Hits, and the tokens and cost they saved, are counted by provider and model
 * ({@code ai.cache.requests}, {@code ai.cache.tokens.saved}, {@code ai.cache.cost.saved}).
 */
public interface AiCache {
    /**
     * The cached answer, else {@code call}'s (which the cache then keeps). Like every cache call, never fails
     * because of Redis; {@code call}'s own exception reaches the caller and nothing is cached.
     */
    AiAnswer answer(AiRequest request, Function<AiRequest, AiAnswer> call);

    /** The cached answer, without calling the provider. */
    Optional<AiAnswer> cached(AiRequest request);

    /** Forgets the answer on every instance. */
    void invalidate(AiRequest request);
}
