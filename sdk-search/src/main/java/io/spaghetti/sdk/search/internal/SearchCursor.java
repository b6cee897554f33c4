package io.spaghetti.sdk.search.internal;

import co.elastic.clients.elasticsearch._types.FieldValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The search-after values of a page's last hit as opaque, URL-safe text: callers page with a string and never see
 * the client's types; the values keep their Elasticsearch kind through the round trip.
 */
public final class SearchCursor {
    private static final ObjectMapper JSON = SdkJson.mapper();

    private SearchCursor() {
    }

    public static String encode(List<FieldValue> values) {
        ArrayNode a = JSON.createArrayNode();
        for (FieldValue v : values) {
            switch (v._kind()) {
                case Long -> a.add(v.longValue());
                case Double -> a.add(v.doubleValue());
                case Boolean -> a.add(v.booleanValue());
                case String -> a.add(v.stringValue());
                case Null -> a.addNull();
                default -> throw new IllegalArgumentException("a search-after value of kind " + v._kind());
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(a.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException naming the problem when the text is not a cursor this SDK made */
    public static List<FieldValue> decode(String cursor) {
        JsonNode a;
        try {
            a = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
        } catch (IllegalArgumentException | IOException e) {
            a = null;
        }
        if (a == null || !a.isArray() || a.isEmpty()) {
            throw new IllegalArgumentException("cursor is not one a search page gave: pass SearchPage.nextCursor()"
                    + " as it is, or null for the first page");
        }
        List<FieldValue> out = new ArrayList<>();
        for (JsonNode n : a) {
            out.add(n.isIntegralNumber() ? FieldValue.of(n.longValue()) : n.isNumber() ? FieldValue.of(n.doubleValue())
                    : n.isBoolean() ? FieldValue.of(n.booleanValue()) : n.isNull() ? FieldValue.NULL
                    : FieldValue.of(n.asText()));
        }
        return out;
    }
}
