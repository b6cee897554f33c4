package io.spaghetti.sdk.search;

import java.time.Instant;
import java.util.List;
import io.spaghetti.sdk.search.internal.DocumentIds;

/**
 * A platform document as stored in the {@code documents} indices. {@code id} and {@code tenantId} are
 * mandatory, non-blank, without control characters and at most 256 and 128 characters long.
 */
public record SearchDocument(String id, String tenantId, String title, String body, String author, List<String> tags,
        String language, String status, Instant created, Instant updated) {

    public SearchDocument {
        DocumentIds.requireId(id);
        DocumentIds.requireTenant(tenantId);
        DocumentIds.storageId(tenantId, id);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /**
     * The Elasticsearch _id: the tenant (with {@code %} and {@code :} escaped) then {@code :} and the id, so no
     * two (tenant, id) pairs ever share one.
     */
    public String storageId() {
        return DocumentIds.storageId(tenantId, id);
    }
}
