package io.spaghetti.sdk.flags;

/** Why a flag has its value, in OpenFeature's terms. */
public enum FlagReason {
    /** The flag is switched off in this environment. */
    DISABLED,
    /** A strategy without a percentage matched the context. */
    TARGETING_MATCH,
    /** A percentage rollout decided (the user fell inside or outside the percentage). */
    SPLIT,
    /** No strategy matched: the default (false). */
    DEFAULT,
    /** The flag is unknown or could not be evaluated: false. */
    ERROR
}
