package io.spaghetti.sdk.search;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A platform document as stored in the {@code documents} indices. {@code tenantId} is mandatory. */
public record SearchDocument(String id, String tenantId, String title, String body, String author, List<String> tags,
        String language, String status, Instant created, Instant updated) {

    public SearchDocument {
        Objects.requireNonNull(id, "id");
        if (tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("a document needs a tenantId: every write and query is scoped to a tenant");
        }
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** The Elasticsearch _id: tenant and id, so two tenants' documents with the same id never collide. */
    public String storageId() {
        return tenantId + ":" + id;
    }
}
