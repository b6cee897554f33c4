package io.spaghetti.sdk.search.internal;

import co.elastic.clients.elasticsearch._types.FieldValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.spaghetti.sdk.core.cache.ValueCodec;
import io.spaghetti.sdk.search.SearchDocument;
import io.spaghetti.sdk.search.SearchPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** A result page as JSON in Redis; the search-after values keep their Elasticsearch type. */
public final class PageCodec implements ValueCodec<SearchPage> {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private record StoredHit(SearchDocument document, double score, Map<String, List<String>> highlights) {
    }

    /** One search-after value: {@code type} is long, double, string, boolean or null. */
    private record StoredValue(String type, String value) {
    }

    private record StoredPage(long total, List<StoredHit> hits, List<StoredValue> nextSearchAfter,
            Map<String, Long> tagCounts, Map<String, Long> monthCounts) {
    }

    @Override
    public byte[] encode(SearchPage page) {
        StoredPage stored = new StoredPage(page.total(),
                page.hits().stream().map(h -> new StoredHit(h.document(), h.score(), h.highlights())).toList(),
                page.nextSearchAfter().stream().map(PageCodec::store).toList(), page.tagCounts(), page.monthCounts());
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
                p.nextSearchAfter().stream().map(PageCodec::restore).toList(), p.tagCounts(), p.monthCounts());
    }

    private static StoredValue store(FieldValue v) {
        return switch (v._kind()) {
            case Long -> new StoredValue("long", Long.toString(v.longValue()));
            case Double -> new StoredValue("double", Double.toString(v.doubleValue()));
            case Boolean -> new StoredValue("boolean", Boolean.toString(v.booleanValue()));
            case Null -> new StoredValue("null", null);
            case String -> new StoredValue("string", v.stringValue());
            default -> throw new IllegalArgumentException("a search-after value of kind " + v._kind());
        };
    }

    private static FieldValue restore(StoredValue v) {
        return switch (v.type()) {
            case "long" -> FieldValue.of(Long.parseLong(v.value()));
            case "double" -> FieldValue.of(Double.parseDouble(v.value()));
            case "boolean" -> FieldValue.of(Boolean.parseBoolean(v.value()));
            case "null" -> FieldValue.NULL;
            default -> FieldValue.of(v.value());
        };
    }
}
