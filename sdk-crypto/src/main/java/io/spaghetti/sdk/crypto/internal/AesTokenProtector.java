package io.spaghetti.sdk.crypto.internal;

import io.spaghetti.sdk.crypto.CryptoException;
import io.spaghetti.sdk.crypto.TokenProtector;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** {@code tk1.} + base64url(12-byte random nonce | AES-256-GCM ciphertext | tag), bound to the purpose. */
public final class AesTokenProtector implements TokenProtector {
    private static final String PREFIX = "tk1.";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    public AesTokenProtector(byte[] key) {
        if (key.length != 32) {
            throw new CryptoException(CryptoException.Reason.NOT_CONFIGURED, "crypto.tokenKey decodes to " + key.length
                    + " bytes; it must be base64 of 32 random bytes (openssl rand -base64 32)");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    @Override
    public String protect(String token, String purpose) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(purpose));
            byte[] ct = c.doFinal(token.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, 12 + ct.length);
            System.arraycopy(ct, 0, out, 12, ct.length);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    @Override
    public String unprotect(String protectedToken, String purpose) {
        byte[] in;
        try {
            if (protectedToken == null || !protectedToken.startsWith(PREFIX)) {
                throw new IllegalArgumentException();
            }
            in = Base64.getUrlDecoder().decode(protectedToken.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "Not a protected token: it must be '" + PREFIX
                    + "' and base64url, as protect returned it");
        }
        if (in.length < 12 + 16) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "Not a protected token: it is cut short");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            c.updateAAD(aad(purpose));
            return new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new CryptoException(CryptoException.Reason.AUTHENTICATION_FAILED, "Token rejected: it was altered, "
                    + "protected for another purpose than '" + purpose + "', or with another crypto.tokenKey");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    private static byte[] aad(String purpose) {
        return ("spaghetti-token-v1|" + purpose).getBytes(StandardCharsets.UTF_8);
    }
}
