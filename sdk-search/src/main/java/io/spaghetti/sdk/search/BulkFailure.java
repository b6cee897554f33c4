package io.spaghetti.sdk.search;

/**
 * A document the bulk writer could not index.
 *
 * @param reason Elasticsearch's error type and reason, e.g. {@code document_parsing_exception: ...}
 */
public record BulkFailure(String tenantId, String id, String reason) {
}
