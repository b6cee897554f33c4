package io.spaghetti.sdk.search;

/** Elasticsearch refused the SDK: wrong credentials (401) or a missing privilege (403). */
public final class SearchAccessException extends RuntimeException {
    public SearchAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
