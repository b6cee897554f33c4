package io.spaghetti.sdk.crypto;

/** A crypto operation failed. The message says why and what to do; it never holds key material or plaintext. */
public class CryptoException extends RuntimeException {
    public enum Reason {
        /** Not a ciphertext (or signature, or token) this SDK wrote, or cut short. */
        MALFORMED,
        /** Authentication failed: the value was altered, or the context (tenant, field, purpose) differs. */
        AUTHENTICATION_FAILED,
        /** The key is unknown, disabled or not usable for this operation. */
        KEY_UNAVAILABLE,
        /** The key service could not be reached or kept failing; cached data keys still work. */
        VAULT_UNAVAILABLE,
        /** The key service refused the credentials (401/403). */
        VAULT_AUTH_FAILED,
        /** The operation is not configured (e.g. no token key). */
        NOT_CONFIGURED
    }

    private final Reason reason;

    public CryptoException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CryptoException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
