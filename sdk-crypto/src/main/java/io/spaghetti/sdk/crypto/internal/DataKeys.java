package io.spaghetti.sdk.crypto.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.spaghetti.sdk.crypto.CryptoConfig;
import io.spaghetti.sdk.crypto.CryptoException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data keys (DEKs): the one encrypting now, reused for a bounded number of values and a bounded
 * time, and a bounded cache of unwrapped ones for decryption. The vault is called only to wrap a
 * new data key or to unwrap one this instance has not seen.
 */
public final class DataKeys {
    private static final Logger log = LoggerFactory.getLogger(DataKeys.class);
    /** AES-GCM with 96-bit nonces: never more than 2^32 values under one key (NIST SP 800-38D 8.3). */
    static final long HARD_LIMIT = 1L << 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyOperations ops;
    private final String kekName;
    private final CryptoConfig.DataKeys limits;
    private final Cache<DekId, SecretKeySpec> unwrapped;
    /** Rewrapped headers by source data key and target KEK version: a later rotation must not reuse them. */
    private final Cache<RewrapId, byte[]> rewrapped;
    private volatile String kekVersion;
    private volatile ActiveKey active;
    private volatile boolean extendingWarned;
    /** The header last resolved for decryption: values of one data key come in runs. */
    private volatile Resolved recent;

    private record Resolved(byte[] header, SecretKeySpec key) {
    }

    /** Identifies a wrapped data key by everything that names it. */
    record DekId(byte provider, String kekName, String kekVersion, ByteBuffer wrapped) {
    }

    private record RewrapId(DekId source, String targetVersion) {
    }

    /**
     * The data key encrypting now. Nonces are its random 4-byte prefix followed by an 8-byte
     * counter: unique for the key's life, which one process owns.
     */
    static final class ActiveKey {
        final SecretKeySpec key;
        final byte[] header;
        final String kekVersion;
        final int noncePrefix = RANDOM.nextInt();
        final AtomicLong used = new AtomicLong();
        final long expiresAtNanos;

        ActiveKey(SecretKeySpec key, byte[] header, String kekVersion, long expiresAtNanos) {
            this.key = key;
            this.header = header;
            this.kekVersion = kekVersion;
            this.expiresAtNanos = expiresAtNanos;
        }
    }

    public DataKeys(KeyOperations ops, String kekName, CryptoConfig.DataKeys limits, MeterRegistry registry) {
        this.ops = ops;
        this.kekName = kekName;
        this.limits = limits;
        this.unwrapped = Caffeine.newBuilder().maximumSize(limits.cacheSize()).expireAfterAccess(limits.cacheTtl())
                .recordStats().build();
        this.rewrapped = Caffeine.newBuilder().maximumSize(limits.cacheSize()).build();
        FunctionCounter.builder("crypto.dek.cache", unwrapped, c -> c.stats().hitCount()).tag("result", "hit")
                .description("Data-key lookups for decryption").register(registry);
        FunctionCounter.builder("crypto.dek.cache", unwrapped, c -> c.stats().missCount()).tag("result", "miss")
                .description("Data-key lookups for decryption").register(registry);
    }

    public String kekVersion() {
        return kekVersion;
    }

    /** Uses {@code version} for new data keys from now on; the data key encrypting now is retired. */
    public void useKekVersion(String version) {
        if (!version.equals(kekVersion)) {
            kekVersion = version;
            active = null;
        }
    }

    /** The data key for the next value, and that value's sequence number under it. */
    ActiveKey forEncryption() {
        ActiveKey k = active;
        if (k != null && k.used.get() < limits.maxMessages() && System.nanoTime() < k.expiresAtNanos) {
            return k;
        }
        return renew(k);
    }

    private synchronized ActiveKey renew(ActiveKey seen) {
        ActiveKey k = active;
        if (k != seen && k != null) {
            return k;
        }
        byte[] dek = new byte[32];
        RANDOM.nextBytes(dek);
        String version = kekVersion;
        try {
            byte[] wrapped = ops.run("wrap", kekName, version, () -> ops.provider().wrap(kekName, version, dek));
            byte[] header = Envelope.header(ops.provider().formatId(), kekName, version, wrapped);
            ActiveKey fresh = new ActiveKey(new SecretKeySpec(dek, "AES"), header, version,
                    System.nanoTime() + limits.maxAge().toNanos());
            unwrapped.put(new DekId(ops.provider().formatId(), kekName, version, ByteBuffer.wrap(wrapped)), fresh.key);
            active = fresh;
            extendingWarned = false;
            return fresh;
        } catch (CryptoException e) {
            // Keep encrypting with the current key while the vault is away, up to the hard AES-GCM bound.
            if (k != null && k.used.get() < HARD_LIMIT && e.reason() == CryptoException.Reason.VAULT_UNAVAILABLE) {
                if (!extendingWarned) {
                    extendingWarned = true;
                    log.warn("Cannot wrap a new data key ({}); the current one keeps encrypting past its configured "
                            + "limits until the key service is back", e.getMessage());
                }
                return k;
            }
            throw e;
        } finally {
            java.util.Arrays.fill(dek, (byte) 0);
        }
    }

    /**
     * The data key of a ciphertext whose header ends at {@code nonceOffset}. The active and the last
     * resolved header are compared byte for byte first, without parsing.
     */
    SecretKeySpec forDecryption(byte[] ciphertext, int nonceOffset) {
        Resolved r = recent;
        if (r != null && sameHeader(r.header, ciphertext, nonceOffset)) {
            ops.dataKeyCacheHit();
            return r.key;
        }
        ActiveKey a = active;
        if (a != null && sameHeader(a.header, ciphertext, nonceOffset)) {
            ops.dataKeyCacheHit();
            return a.key;
        }
        SecretKeySpec key = forDecryption(Envelope.parse(ciphertext));
        recent = new Resolved(java.util.Arrays.copyOf(ciphertext, nonceOffset), key);
        return key;
    }

    private static boolean sameHeader(byte[] header, byte[] ciphertext, int nonceOffset) {
        return header.length == nonceOffset && java.util.Arrays.equals(header, 0, nonceOffset, ciphertext, 0, nonceOffset);
    }

    /** The data key a ciphertext names: from the cache, or unwrapped by the provider (a cache miss, audited). */
    SecretKeySpec forDecryption(Envelope.Header h) {
        DekId id = new DekId(h.provider(), h.kekName(), h.kekVersion(), h.wrappedKey());
        SecretKeySpec key = unwrapped.getIfPresent(id);
        if (key != null) {
            ops.dataKeyCacheHit();
            return key;
        }
        requireOwnProvider(h);
        DekId stored = new DekId(h.provider(), h.kekName(), h.kekVersion(), ByteBuffer.wrap(h.wrappedKeyBytes()));
        byte[] dek = ops.run("unwrap", h.kekName(), h.kekVersion(),
                () -> ops.provider().unwrap(h.kekName(), h.kekVersion(), h.wrappedKeyBytes()));
        if (dek.length != 32) {
            throw new CryptoException(CryptoException.Reason.AUTHENTICATION_FAILED,
                    "Cannot decrypt: the data key unwrapped to " + dek.length + " bytes, not 32; the value was altered");
        }
        key = new SecretKeySpec(dek, "AES");
        java.util.Arrays.fill(dek, (byte) 0);
        unwrapped.put(stored, key);
        return key;
    }

    /** The header under the current KEK version for the data key a ciphertext names (one wrap per data key). */
    byte[] rewrappedHeader(Envelope.Header h) {
        String version = kekVersion;
        RewrapId id = new RewrapId(new DekId(h.provider(), h.kekName(), h.kekVersion(),
                ByteBuffer.wrap(h.wrappedKeyBytes())), version);
        byte[] header = rewrapped.getIfPresent(id);
        if (header != null) {
            return header;
        }
        byte[] dek = forDecryption(h).getEncoded();
        try {
            byte[] wrapped = ops.run("rewrap", kekName, version, () -> ops.provider().wrap(kekName, version, dek));
            header = Envelope.header(ops.provider().formatId(), kekName, version, wrapped);
            rewrapped.put(id, header);
            return header;
        } finally {
            java.util.Arrays.fill(dek, (byte) 0);
        }
    }

    private void requireOwnProvider(Envelope.Header h) {
        if (h.provider() != ops.provider().formatId()) {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "The value's data key was wrapped by "
                    + Envelope.providerName(h.provider()) + " but this service uses " + ops.provider().name()
                    + ": decrypt it where crypto.provider matches");
        }
    }
}
