package io.spaghetti.sdk.search.internal;

import java.nio.charset.StandardCharsets;

/**
 * Tenant and document ids: validation and the Elasticsearch {@code _id}.
 *
 * <p>The {@code _id} is {@code escape(tenant) + ":" + id}, where {@code escape} turns {@code %} into
 * {@code %25} and {@code :} into {@code %3A}. The escaped tenant holds no {@code ':'}, so the first
 * {@code ':'} always ends it and no two (tenant, id) pairs share an {@code _id}; tenants without
 * {@code %} or {@code :} keep the ids written before the escaping existed.
 */
public final class DocumentIds {
    public static final int MAX_TENANT_LENGTH = 128;
    public static final int MAX_ID_LENGTH = 256;
    /** Elasticsearch refuses an {@code _id} longer than 512 bytes. */
    private static final int MAX_STORAGE_ID_BYTES = 512;

    private DocumentIds() {
    }

    public static String storageId(String tenant, String id) {
        String storageId = tenant.replace("%", "%25").replace(":", "%3A") + ":" + id;
        if (storageId.getBytes(StandardCharsets.UTF_8).length > MAX_STORAGE_ID_BYTES) {
            throw new IllegalArgumentException("tenant and id together take more than " + MAX_STORAGE_ID_BYTES
                    + " bytes of UTF-8 (an Elasticsearch _id limit): use a shorter document id");
        }
        return storageId;
    }

    public static String requireTenant(String tenant) {
        return require("tenant id", tenant, MAX_TENANT_LENGTH,
                "every write and query is scoped to a tenant");
    }

    public static String requireId(String id) {
        return require("document id", id, MAX_ID_LENGTH, "documents are addressed by tenant and id");
    }

    private static String require(String what, String value, int maxLength, String why) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a " + what + " is required (" + why + "): pass a non-blank value");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException("the " + what + " has " + value.length() + " characters, more than the "
                    + maxLength + " allowed: use a shorter one");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("the " + what + " holds a control character at position " + i
                        + ": remove it (ids are printable text)");
            }
        }
        return value;
    }
}
