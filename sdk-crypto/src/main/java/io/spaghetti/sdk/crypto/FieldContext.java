package io.spaghetti.sdk.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a field value is bound to: a ciphertext made for one tenant and field does not decrypt
 * under another. Both are authenticated (associated data), not secret.
 */
public record FieldContext(String tenant, String field) {
    public FieldContext {
        if (tenant == null || tenant.isEmpty() || field == null || field.isEmpty()) {
            throw new IllegalArgumentException("FieldContext needs a tenant and a field name, e.g. "
                    + "FieldContext.of(\"acme\", \"customer.email\")");
        }
    }

    public static FieldContext of(String tenant, String field) {
        return new FieldContext(tenant, field);
    }

    /** Length-prefixed UTF-8 of tenant and field, so ("ab","c") and ("a","bc") differ. */
    public byte[] associatedData() {
        byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
        byte[] f = field.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(t.length + f.length + 8);
        writeLength(out, t.length);
        out.writeBytes(t);
        writeLength(out, f.length);
        out.writeBytes(f);
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int n) {
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
    }
}
