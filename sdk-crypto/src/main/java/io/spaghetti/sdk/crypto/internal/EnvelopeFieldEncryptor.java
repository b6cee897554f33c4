package io.spaghetti.sdk.crypto.internal;

import io.spaghetti.sdk.crypto.CryptoException;
import io.spaghetti.sdk.crypto.FieldContext;
import io.spaghetti.sdk.crypto.FieldEncryptor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM field encryption in the {@link Envelope} format with keys from {@link DataKeys}. */
public final class EnvelopeFieldEncryptor implements FieldEncryptor {
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no AES/GCM/NoPadding", e);
        }
    });

    private final DataKeys keys;
    private final byte provider;

    public EnvelopeFieldEncryptor(DataKeys keys, byte provider) {
        this.keys = keys;
        this.provider = provider;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, FieldContext context) {
        DataKeys.ActiveKey k = keys.forEncryption();
        long sequence = k.used.getAndIncrement();
        byte[] header = k.header;
        int nonceAt = header.length;
        byte[] out = new byte[nonceAt + Envelope.NONCE_LENGTH + plaintext.length + Envelope.TAG_LENGTH];
        System.arraycopy(header, 0, out, 0, nonceAt);
        Envelope.writeInt(out, nonceAt, k.noncePrefix);
        Envelope.writeInt(out, nonceAt + 4, (int) (sequence >>> 32));
        Envelope.writeInt(out, nonceAt + 8, (int) sequence);
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.ENCRYPT_MODE, k.key, new GCMParameterSpec(128, out, nonceAt, Envelope.NONCE_LENGTH));
            c.updateAAD(Envelope.associatedData(context));
            c.doFinal(plaintext, 0, plaintext.length, out, nonceAt + Envelope.NONCE_LENGTH);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    @Override
    public String encryptString(String plaintext, FieldContext context) {
        return Envelope.toText(encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context));
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, FieldContext context) {
        int nonceAt = Envelope.nonceOffset(ciphertext);
        SecretKeySpec key = keys.forDecryption(ciphertext, nonceAt);
        int bodyAt = nonceAt + Envelope.NONCE_LENGTH;
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, ciphertext, nonceAt, Envelope.NONCE_LENGTH));
            c.updateAAD(Envelope.associatedData(context));
            return c.doFinal(ciphertext, bodyAt, ciphertext.length - bodyAt);
        } catch (AEADBadTagException e) {
            throw new CryptoException(CryptoException.Reason.AUTHENTICATION_FAILED, "Cannot decrypt: authentication "
                    + "failed. The value was altered, or it was encrypted for another tenant or field than " + context
                    + "; pass the same FieldContext it was encrypted with.");
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "Cannot decrypt: " + e.getMessage());
        }
    }

    @Override
    public String decryptString(String ciphertext, FieldContext context) {
        return new String(decrypt(Envelope.fromText(ciphertext), context), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] rewrap(byte[] ciphertext) {
        Envelope.Header h = Envelope.parse(ciphertext);
        if (h.kekVersion().equals(keys.kekVersion()) && h.provider() == provider) {
            return ciphertext;
        }
        byte[] header = keys.rewrappedHeader(h);
        int bodyLength = ciphertext.length - h.nonceOffset();
        byte[] out = new byte[header.length + bodyLength];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(ciphertext, h.nonceOffset(), out, header.length, bodyLength);
        return out;
    }

    @Override
    public String rewrapString(String ciphertext) {
        byte[] in = Envelope.fromText(ciphertext);
        byte[] out = rewrap(in);
        return out == in ? ciphertext : Envelope.toText(out);
    }

    @Override
    public CiphertextInfo inspect(String ciphertext) {
        byte[] c = Envelope.fromText(ciphertext);
        Envelope.Header h = Envelope.parse(c);
        return new CiphertextInfo(Envelope.providerName(h.provider()), h.kekName(), h.kekVersion(),
                c.length - h.nonceOffset() - Envelope.NONCE_LENGTH - Envelope.TAG_LENGTH);
    }
}
