package io.spaghetti.sdk.flags;

/**
 * A flag's value with how it was decided.
 *
 * @param variant   the variant name, or {@code disabled} when the flag is off
 * @param errorCode with {@link FlagReason#ERROR}: {@code FLAG_NOT_FOUND} or {@code GENERAL}; else null
 */
public record FlagEvaluation(String flag, boolean value, String variant, FlagReason reason, String errorCode) {
}
