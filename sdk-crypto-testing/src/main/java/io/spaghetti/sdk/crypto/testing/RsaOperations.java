package io.spaghetti.sdk.crypto.testing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/** The RSA operations Key Vault performs, done with JCA; signatures are over a digest, as the vault's API takes. */
final class RsaOperations {
    private static final byte[] SHA256_DIGEST_INFO = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01,
            0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    private static final SecureRandom RANDOM = new SecureRandom();

    private RsaOperations() {
    }

    static byte[] encrypt(String alg, KeyPair key, byte[] value) throws GeneralSecurityException {
        Cipher c = cipher(alg);
        c.init(Cipher.ENCRYPT_MODE, key.getPublic(), oaep(alg));
        return c.doFinal(value);
    }

    static byte[] decrypt(String alg, KeyPair key, byte[] value) throws GeneralSecurityException {
        Cipher c = cipher(alg);
        c.init(Cipher.DECRYPT_MODE, key.getPrivate(), oaep(alg));
        return c.doFinal(value);
    }

    private static Cipher cipher(String alg) throws GeneralSecurityException {
        return switch (alg) {
            case "RSA-OAEP", "RSA-OAEP-256" -> Cipher.getInstance("RSA/ECB/OAEPPadding");
            case "RSA1_5" -> Cipher.getInstance("RSA/ECB/PKCS1Padding");
            default -> throw new GeneralSecurityException("unsupported algorithm " + alg);
        };
    }

    private static OAEPParameterSpec oaep(String alg) {
        return switch (alg) {
            case "RSA-OAEP-256" -> new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                    PSource.PSpecified.DEFAULT);
            case "RSA-OAEP" -> new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
            default -> null;
        };
    }

    static byte[] sign(String alg, KeyPair key, byte[] digest) throws GeneralSecurityException {
        requireSha256Digest(alg, digest);
        if (alg.equals("RS256")) {
            Signature s = Signature.getInstance("NONEwithRSA");
            s.initSign(key.getPrivate());
            s.update(concat(SHA256_DIGEST_INFO, digest));
            return s.sign();
        }
        // PS256: EMSA-PSS encoding of the digest (RFC 8017 9.1.1), then the raw RSA private-key operation
        int modBits = ((RSAPublicKey) key.getPublic()).getModulus().bitLength();
        byte[] em = pssEncode(digest, modBits - 1);
        Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding");
        raw.init(Cipher.DECRYPT_MODE, key.getPrivate());
        return raw.doFinal(em);
    }

    static boolean verify(String alg, KeyPair key, byte[] digest, byte[] signature) throws GeneralSecurityException {
        requireSha256Digest(alg, digest);
        if (alg.equals("RS256")) {
            Signature s = Signature.getInstance("NONEwithRSA");
            s.initVerify(key.getPublic());
            s.update(concat(SHA256_DIGEST_INFO, digest));
            return s.verify(signature);
        }
        RSAPublicKey pub = (RSAPublicKey) key.getPublic();
        BigInteger m = new BigInteger(1, signature).modPow(pub.getPublicExponent(), pub.getModulus());
        int emBits = pub.getModulus().bitLength() - 1;
        byte[] em = toLength(m.toByteArray(), (emBits + 7) / 8);
        return pssVerify(digest, em, emBits);
    }

    private static void requireSha256Digest(String alg, byte[] digest) throws GeneralSecurityException {
        if (!alg.equals("RS256") && !alg.equals("PS256")) {
            throw new GeneralSecurityException("unsupported algorithm " + alg);
        }
        if (digest.length != 32) {
            throw new GeneralSecurityException("a SHA-256 digest is 32 bytes, got " + digest.length);
        }
    }

    private static byte[] pssEncode(byte[] mHash, int emBits) throws GeneralSecurityException {
        int hLen = 32;
        int emLen = (emBits + 7) / 8;
        byte[] salt = new byte[hLen];
        RANDOM.nextBytes(salt);
        byte[] h = sha256(concat(new byte[8], mHash, salt));
        byte[] db = new byte[emLen - hLen - 1];
        db[db.length - hLen - 1] = 0x01;
        System.arraycopy(salt, 0, db, db.length - hLen, hLen);
        byte[] mask = mgf1(h, db.length);
        for (int i = 0; i < db.length; i++) {
            db[i] ^= mask[i];
        }
        db[0] &= (byte) (0xFF >>> (8 * emLen - emBits));
        return concat(db, h, new byte[] {(byte) 0xbc});
    }

    private static boolean pssVerify(byte[] mHash, byte[] em, int emBits) throws GeneralSecurityException {
        int hLen = 32;
        int emLen = em.length;
        if (em[emLen - 1] != (byte) 0xbc) {
            return false;
        }
        byte[] db = Arrays.copyOf(em, emLen - hLen - 1);
        byte[] h = Arrays.copyOfRange(em, emLen - hLen - 1, emLen - 1);
        byte[] mask = mgf1(h, db.length);
        for (int i = 0; i < db.length; i++) {
            db[i] ^= mask[i];
        }
        db[0] &= (byte) (0xFF >>> (8 * emLen - emBits));
        int ps = db.length - hLen - 1;
        for (int i = 0; i < ps; i++) {
            if (db[i] != 0) {
                return false;
            }
        }
        if (db[ps] != 0x01) {
            return false;
        }
        byte[] salt = Arrays.copyOfRange(db, db.length - hLen, db.length);
        return MessageDigest.isEqual(h, sha256(concat(new byte[8], mHash, salt)));
    }

    private static byte[] mgf1(byte[] seed, int length) throws GeneralSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int counter = 0; out.size() < length; counter++) {
            out.writeBytes(sha256(concat(seed, new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16),
                    (byte) (counter >>> 8), (byte) counter})));
        }
        return Arrays.copyOf(out.toByteArray(), length);
    }

    private static byte[] sha256(byte[] in) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(in);
    }

    private static byte[] toLength(byte[] bigEndian, int length) {
        byte[] out = new byte[length];
        int copy = Math.min(length, bigEndian.length);
        System.arraycopy(bigEndian, bigEndian.length - copy, out, length - copy, copy);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Unsigned big-endian bytes of a JWK number. */
    static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b[0] == 0 && b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
