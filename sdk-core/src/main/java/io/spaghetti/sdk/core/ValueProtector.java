package io.spaghetti.sdk.core;

/**
 * Encryption at rest that a module offers the others (sdk-crypto's {@code CryptoModule}): text sealed for one tenant
 * and purpose opens only for the same pair.
 */
public interface ValueProtector {
    /** The ciphertext of {@code plaintext}, bound to {@code tenant} and {@code purpose}. */
    String seal(String plaintext, String tenant, String purpose);

    /** @throws RuntimeException when the text was not sealed for this tenant and purpose, or was altered */
    String open(String sealed, String tenant, String purpose);
}
