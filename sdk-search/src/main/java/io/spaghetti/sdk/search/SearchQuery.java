package io.spaghetti.sdk.search;

import java.util.List;

/**
 * A full-text query within one tenant.
 *
 * @param text   matched against title (boosted) and body; null or blank: every document
 * @param tags   documents must carry all of these tags
 * @param cursor the {@link SearchPage#nextCursor()} of the previous page, or null for the first
 */
public record SearchQuery(String text, List<String> tags, int size, String cursor, boolean highlight,
        boolean aggregations) {

    public SearchQuery {
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (size < 1 || size > 1000) {
            throw new IllegalArgumentException("size must be 1 to 1000 (page with a cursor for more)");
        }
    }

    public static SearchQuery text(String text) {
        return new SearchQuery(text, List.of(), 20, null, true, false);
    }

    public SearchQuery withTags(List<String> t) {
        return new SearchQuery(text, t, size, cursor, highlight, aggregations);
    }

    public SearchQuery withSize(int s) {
        return new SearchQuery(text, tags, s, cursor, highlight, aggregations);
    }

    /** The page after the one {@code cursor} came with ({@link SearchPage#nextCursor()}). */
    public SearchQuery after(String cursor) {
        return new SearchQuery(text, tags, size, cursor, highlight, aggregations);
    }

    public SearchQuery withAggregations() {
        return new SearchQuery(text, tags, size, cursor, highlight, true);
    }
}
