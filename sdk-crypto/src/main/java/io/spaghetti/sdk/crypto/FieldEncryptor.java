package io.spaghetti.sdk.crypto;

/**
 * Field-level envelope encryption: AES-256-GCM under a data key that is wrapped by the KEK.
 * The vault is called only to wrap a new data key or unwrap one not seen before.
 * Text forms start with {@code sp1.}; the byte layout is in docs/crypto.md.
 */
public interface FieldEncryptor {
    byte[] encrypt(byte[] plaintext, FieldContext context);

    /** UTF-8 text in, compact text out (for JSON and database columns). */
    String encryptString(String plaintext, FieldContext context);

    /** @throws CryptoException when the value was altered, the context differs, or its key is unavailable */
    byte[] decrypt(byte[] ciphertext, FieldContext context);

    String decryptString(String ciphertext, FieldContext context);

    /**
     * Re-wraps the value's data key under the KEK's current version, without decrypting the data;
     * returns the value unchanged when it already is. For a batch job after a rotation.
     */
    byte[] rewrap(byte[] ciphertext);

    String rewrapString(String ciphertext);

    /** Which KEK and version wrapped this value's data key, without decrypting anything. */
    CiphertextInfo inspect(String ciphertext);

    record CiphertextInfo(String provider, String kekName, String kekVersion, int plaintextLength) {
    }
}
