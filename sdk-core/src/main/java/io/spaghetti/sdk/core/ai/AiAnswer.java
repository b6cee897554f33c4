package io.spaghetti.sdk.core.ai;

import java.util.Objects;

/**
 * A provider's complete answer (a streamed one once it is complete), with what it cost: a cache hit counts these
 * as saved.
 */
public record AiAnswer(String text, long tokensIn, long tokensOut, double costUsd) {
    public AiAnswer {
        Objects.requireNonNull(text, "text");
    }
}
