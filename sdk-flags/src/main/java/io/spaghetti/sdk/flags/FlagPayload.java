package io.spaghetti.sdk.flags;

/**
 * A variant's payload as Unleash holds it: the text of the value and its type.
 *
 * @param type {@code string}, {@code json}, {@code number} or {@code csv}
 */
public record FlagPayload(String type, String value) {
}
