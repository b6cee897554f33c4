package io.spaghetti.sdk.crypto;

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
}
