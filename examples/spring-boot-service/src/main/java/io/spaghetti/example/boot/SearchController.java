package io.spaghetti.example.boot;

import io.spaghetti.sdk.search.DocumentStore;
import io.spaghetti.sdk.search.SearchDocument;
import io.spaghetti.sdk.search.SearchModule;
import io.spaghetti.sdk.search.SearchPage;
import io.spaghetti.sdk.search.SearchQuery;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /search/documents?tenant=t} indexes a document, {@code GET /search?tenant=t&q=words} searches one
 * tenant, {@code POST /search/clicks?tenant=t&position=n} records that a user opened the n-th result.
 */
@RestController
class SearchController {
    private final SearchModule search;

    SearchController(SearchModule search) {
        this.search = search;
    }

    /** A document as a client posts it; its tenant comes from the request, never from the body. */
    record NewDocument(@NotNull @Pattern(regexp = Ids.ID, message = Ids.ID_RULE) String id,
            @NotBlank @Size(max = 300) String title, @Size(max = 20_000) String body,
            @Size(max = 20) List<@NotNull @Pattern(regexp = "[a-z0-9-]{1,32}", message = "must be 1 to 32 lower-case letters, digits or '-'") String> tags) {
    }

    @PostMapping(path = "/search/documents", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, String> index(@RequestParam @Pattern(regexp = Ids.TENANT, message = Ids.TENANT_RULE) String tenant,
            @Valid @RequestBody NewDocument in) {
        Instant now = Instant.now();
        documents().index(new SearchDocument(in.id(), tenant, in.title(), in.body() == null ? "" : in.body(), null,
                in.tags() == null ? List.of() : in.tags(), null, "published", now, now), true);
        return Map.of("id", in.id(), "tenant", tenant);
    }

    @GetMapping("/search")
    Map<String, Object> search(@RequestParam @Pattern(regexp = Ids.TENANT, message = Ids.TENANT_RULE) String tenant,
            @RequestParam(defaultValue = "") @Size(max = 200) String q) {
        SearchPage page = documents().search(tenant, SearchQuery.text(q).withAggregations());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", page.total());
        out.put("hits", page.hits().stream().map(h -> {
            Map<String, Object> hit = new LinkedHashMap<>();
            hit.put("id", h.document().id());
            hit.put("title", h.document().title());
            hit.put("score", h.score());
            hit.put("highlights", h.highlights());
            return hit;
        }).toList());
        out.put("tags", page.tagCounts());
        return out;
    }

    @PostMapping("/search/clicks")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void click(@RequestParam @Pattern(regexp = Ids.TENANT, message = Ids.TENANT_RULE) String tenant,
            @RequestParam @Min(value = 1, message = "must be 1 or more: the first result is 1") @Max(1000) int position) {
        documents().recordClick(tenant, position);
    }

    private DocumentStore documents() {
        return ModuleUnavailableException.require("search", search::documents);
    }
}
