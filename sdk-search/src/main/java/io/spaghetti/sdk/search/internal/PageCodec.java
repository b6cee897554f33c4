package io.spaghetti.sdk.search.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.cache.ValueCodec;
import io.spaghetti.sdk.core.json.SdkJson;
import io.spaghetti.sdk.search.SearchDocument;
import io.spaghetti.sdk.search.SearchPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** A result page as JSON in Redis. */
public final class PageCodec implements ValueCodec<SearchPage> {
    private static final ObjectMapper JSON = SdkJson.mapper();

    private record StoredHit(SearchDocument document, double score, Map<String, List<String>> highlights) {
    }

    private record StoredPage(long total, List<StoredHit> hits, String nextCursor,
            Map<String, Long> tagCounts, Map<String, Long> monthCounts) {
    }

    @Override
    public byte[] encode(SearchPage page) {
        StoredPage stored = new StoredPage(page.total(),
                page.hits().stream().map(h -> new StoredHit(h.document(), h.score(), h.highlights())).toList(),
                page.nextCursor(), page.tagCounts(), page.monthCounts());
        try {
            return JSON.writeValueAsBytes(stored);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a search page", e);
        }
    }

    @Override
    public SearchPage decode(byte[] bytes) {
        StoredPage p;
        try {
            p = JSON.readValue(bytes, StoredPage.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a stored search page", e);
        }
        return new SearchPage(p.total(),
                p.hits().stream().map(h -> new SearchPage.Hit(h.document(), h.score(),
                        h.highlights() == null ? Map.of() : h.highlights())).toList(),
                p.nextCursor(), p.tagCounts(), p.monthCounts());
    }
}
