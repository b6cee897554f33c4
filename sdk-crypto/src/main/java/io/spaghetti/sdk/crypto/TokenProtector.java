package io.spaghetti.sdk.crypto;

/**
 * Protects API tokens (confidentiality and integrity) with the AES-256 key {@code crypto.tokenKey}:
 * AES-GCM bound to a purpose, so a token protected for one purpose cannot be replayed for another.
 */
public interface TokenProtector {
    String protect(String token, String purpose);

    /** @throws CryptoException when altered, protected for another purpose, or with another key */
    String unprotect(String protectedToken, String purpose);
}
