package io.spaghetti.sdk.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import java.util.List;

/**
 * A full-text query within one tenant.
 *
 * @param text        matched against title (boosted) and body; null or blank: every document
 * @param tags        documents must carry all of these tags
 * @param searchAfter the {@link SearchPage#nextSearchAfter()} of the previous page, or empty for the first
 */
public record SearchQuery(String text, List<String> tags, int size, List<FieldValue> searchAfter, boolean highlight,
        boolean aggregations) {

    public SearchQuery {
        tags = tags == null ? List.of() : List.copyOf(tags);
        searchAfter = searchAfter == null ? List.of() : List.copyOf(searchAfter);
        if (size < 1 || size > 1000) {
            throw new IllegalArgumentException("size must be 1 to 1000 (page with searchAfter for more)");
        }
    }

    public static SearchQuery text(String text) {
        return new SearchQuery(text, List.of(), 20, List.of(), true, false);
    }

    public SearchQuery withTags(List<String> t) {
        return new SearchQuery(text, t, size, searchAfter, highlight, aggregations);
    }

    public SearchQuery withSize(int s) {
        return new SearchQuery(text, tags, s, searchAfter, highlight, aggregations);
    }

    public SearchQuery after(List<FieldValue> after) {
        return new SearchQuery(text, tags, size, after, highlight, aggregations);
    }

    public SearchQuery withAggregations() {
        return new SearchQuery(text, tags, size, searchAfter, highlight, true);
    }
}
