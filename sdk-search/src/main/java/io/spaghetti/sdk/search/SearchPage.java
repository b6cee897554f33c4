package io.spaghetti.sdk.search;

import java.util.List;
import java.util.Map;

/**
 * One page of results.
 *
 * @param nextCursor      pass to {@link SearchQuery#after} for the next page (opaque text, safe in a URL); null
 *                        when this page is the last
 * @param tagCounts       documents per tag (with aggregations)
 * @param monthCounts     documents per month of creation, {@code yyyy-MM} (with aggregations)
 */
public record SearchPage(long total, List<Hit> hits, String nextCursor, Map<String, Long> tagCounts,
        Map<String, Long> monthCounts) {

    /**
     * A matching document with its score and highlighted fragments by field. Fragments are HTML: the document's
     * text is escaped and the matches are wrapped in {@code <em>}, so a page can insert them as they are.
     */
    public record Hit(SearchDocument document, double score, Map<String, List<String>> highlights) {
    }
}
