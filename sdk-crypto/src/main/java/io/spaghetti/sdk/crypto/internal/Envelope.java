package io.spaghetti.sdk.crypto.internal;

import io.spaghetti.sdk.crypto.CryptoException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The ciphertext format, version 1 (docs/crypto.md has the table):
 * <pre>
 * 0x01 format | 0x01 AES-256-GCM | provider | u8 n, KEK name | u8 m, KEK version | u16 w, wrapped data key
 * | 12-byte nonce | ciphertext | 16-byte tag
 * </pre>
 * The associated data is the format and algorithm bytes plus the field context; the KEK fields and
 * the wrapped key are not in it, so a rewrap changes them without touching the data (a changed
 * wrapped key unwraps to a wrong key or not at all, which the tag then rejects).
 */
public final class Envelope {
    public static final byte FORMAT_V1 = 0x01;
    public static final byte AES_256_GCM = 0x01;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    public static final String TEXT_PREFIX = "sp1.";
    public static final byte PROVIDER_AZURE_KEY_VAULT = 1;
    public static final byte PROVIDER_PKCS11 = 2;
    public static final byte PROVIDER_LOCAL = 3;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

    private Envelope() {
    }

    /** A parsed header: where the nonce starts, and the key that wrapped the data key. */
    public record Header(byte provider, String kekName, String kekVersion, ByteBuffer wrappedKey, int nonceOffset) {
        public byte[] wrappedKeyBytes() {
            byte[] b = new byte[wrappedKey.remaining()];
            wrappedKey.duplicate().get(b);
            return b;
        }
    }

    public static byte[] header(byte provider, String kekName, String kekVersion, byte[] wrappedKey) {
        byte[] name = kekName.getBytes(StandardCharsets.UTF_8);
        byte[] version = kekVersion.getBytes(StandardCharsets.UTF_8);
        if (name.length > 255 || version.length > 255 || wrappedKey.length > 65_535) {
            throw new IllegalArgumentException("KEK name, version or wrapped key too long for the format");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + name.length + version.length + wrappedKey.length);
        out.write(FORMAT_V1);
        out.write(AES_256_GCM);
        out.write(provider);
        out.write(name.length);
        out.writeBytes(name);
        out.write(version.length);
        out.writeBytes(version);
        out.write(wrappedKey.length >>> 8);
        out.write(wrappedKey.length);
        out.writeBytes(wrappedKey);
        return out.toByteArray();
    }

    /** Where the nonce starts, read from the length bytes alone (no allocation): the end of the header. */
    public static int nonceOffset(byte[] c) {
        if (c.length < 3 || c[0] != FORMAT_V1 || c[1] != AES_256_GCM) {
            return parse(c).nonceOffset();
        }
        int p = 3;
        if (p >= c.length) {
            return parse(c).nonceOffset();
        }
        p += 1 + (c[p] & 0xFF);
        if (p >= c.length) {
            return parse(c).nonceOffset();
        }
        p += 1 + (c[p] & 0xFF);
        if (p + 1 >= c.length) {
            return parse(c).nonceOffset();
        }
        p += 2 + (((c[p] & 0xFF) << 8) | (c[p + 1] & 0xFF));
        if (p + NONCE_LENGTH + TAG_LENGTH > c.length) {
            return parse(c).nonceOffset();
        }
        return p;
    }

    public static Header parse(byte[] c) {
        try {
            if (c.length < 3 || c[0] != FORMAT_V1) {
                throw malformed(c.length < 1 ? "it is empty" : "format version " + (c.length > 0 ? c[0] : -1)
                        + " is not 1");
            }
            if (c[1] != AES_256_GCM) {
                throw malformed("algorithm " + c[1] + " is not AES-256-GCM (1)");
            }
            int p = 3;
            int n = c[p++] & 0xFF;
            String name = new String(c, p, n, StandardCharsets.UTF_8);
            p += n;
            int m = c[p++] & 0xFF;
            String version = new String(c, p, m, StandardCharsets.UTF_8);
            p += m;
            int w = ((c[p] & 0xFF) << 8) | (c[p + 1] & 0xFF);
            p += 2;
            ByteBuffer wrapped = ByteBuffer.wrap(c, p, w).slice();
            p += w;
            if (n == 0 || m == 0 || w == 0 || p + NONCE_LENGTH + TAG_LENGTH > c.length) {
                throw malformed("it is cut short or its header is damaged");
            }
            return new Header(c[2], name, version, wrapped, p);
        } catch (IndexOutOfBoundsException e) {
            throw malformed("it is cut short or its header is damaged");
        }
    }

    /**
     * The value's associated data in one array: format and algorithm bytes, then u32 length + tenant
     * and u32 length + field name in UTF-8 (lengths keep ("ab","c") apart from ("a","bc")).
     */
    public static byte[] associatedData(io.spaghetti.sdk.crypto.FieldContext context) {
        byte[] t = context.tenant().getBytes(StandardCharsets.UTF_8);
        byte[] f = context.field().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[10 + t.length + f.length];
        out[0] = FORMAT_V1;
        out[1] = AES_256_GCM;
        writeInt(out, 2, t.length);
        System.arraycopy(t, 0, out, 6, t.length);
        writeInt(out, 6 + t.length, f.length);
        System.arraycopy(f, 0, out, 10 + t.length, f.length);
        return out;
    }

    static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    public static String providerName(byte provider) {
        return switch (provider) {
            case PROVIDER_AZURE_KEY_VAULT -> "azure-key-vault";
            case PROVIDER_PKCS11 -> "pkcs11";
            case PROVIDER_LOCAL -> "local";
            default -> "unknown(" + provider + ")";
        };
    }

    public static String toText(byte[] ciphertext) {
        return TEXT_PREFIX + B64.encodeToString(ciphertext);
    }

    public static byte[] fromText(String text) {
        if (text == null || !text.startsWith(TEXT_PREFIX)) {
            throw malformed("its text form does not start with '" + TEXT_PREFIX + "'");
        }
        try {
            return B64_DECODER.decode(text.substring(TEXT_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw malformed("its text form is not base64url");
        }
    }

    static CryptoException malformed(String why) {
        return new CryptoException(CryptoException.Reason.MALFORMED, "Not a ciphertext of this SDK: " + why
                + ". Pass the value exactly as encrypt returned it.");
    }
}
