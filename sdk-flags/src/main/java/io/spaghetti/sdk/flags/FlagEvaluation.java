package io.spaghetti.sdk.flags;

/**
 * A flag's value with its variant and how it was decided.
 *
 * @param variant        the variant name; {@code disabled} when the flag is off or has no variants
 * @param variantEnabled whether a variant was chosen (false for {@code disabled})
 * @param payload        the chosen variant's payload, or null when it has none
 * @param errorCode      with {@link FlagReason#ERROR}: {@code FLAG_NOT_FOUND} or {@code GENERAL}; else null
 */
public record FlagEvaluation(String flag, boolean value, String variant, boolean variantEnabled, FlagPayload payload,
        FlagReason reason, String errorCode) {
}
