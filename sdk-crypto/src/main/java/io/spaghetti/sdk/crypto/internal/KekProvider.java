package io.spaghetti.sdk.crypto.internal;

import io.spaghetti.sdk.crypto.CryptoConfig.SignatureAlgorithm;
import io.spaghetti.sdk.crypto.CryptoException;
import java.security.PublicKey;
import java.time.Duration;

/**
 * Where key-encryption keys and signing keys live: Azure Key Vault, a PKCS#11 token or a local
 * key store. Calls may throw the backing library's own exceptions; {@link #translate} turns them
 * into {@link CryptoException}s after the resilience policy has seen them.
 */
public interface KekProvider extends AutoCloseable {
    /** The provider byte of the ciphertext format. */
    byte formatId();

    /** For metrics, audit and errors: {@code azure-key-vault}, {@code pkcs11}, {@code local}. */
    String name();

    /** Creates the key when it is missing and the provider may; else fails saying how to create it. */
    void ensureKey(String keyName, boolean signing);

    /** The key's current version, read from the source. */
    String currentVersion(String keyName);

    byte[] wrap(String kekName, String version, byte[] dataKey);

    byte[] unwrap(String kekName, String version, byte[] wrapped);

    /** A new version of the key; returns it. */
    String rotate(String keyName);

    byte[] sign(String keyName, String version, SignatureAlgorithm algorithm, byte[] signingInput);

    PublicKey publicKey(String keyName, String version);

    /**
     * Whether operations reach another process or device, and so go through the remote-call policy (time limit,
     * retry, circuit breaker). A key file read in-process is not: its first start runs keytool to make the
     * signing key, which a loaded machine can take longer than a remote call's time limit over.
     */
    default boolean remote() {
        return true;
    }

    /** Applies the configured rotation policy to the key, where the provider has one. */
    default void applyRotationPolicy(String keyName) {
    }

    /** Worth retrying: throttling, server errors, no connection. */
    default boolean isTransient(Throwable failure) {
        return false;
    }

    /** Counted by the circuit breaker: the service is failing (server errors, no connection), not throttling. */
    default boolean isOutage(Throwable failure) {
        return false;
    }

    /** The delay the service asked for (Retry-After), or null. */
    default Duration retryAfter(Throwable failure) {
        return null;
    }

    /** The SDK's error for a failure of {@code operation} on a key. */
    CryptoException translate(Throwable failure, String operation, String keyName);

    @Override
    void close();
}
