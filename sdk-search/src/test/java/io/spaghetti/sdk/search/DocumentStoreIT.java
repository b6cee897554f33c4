package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Tenant-scoped writes and queries through the SDK as the least-privilege application user. */
class DocumentStoreIT {
    private static final Instant JAN = Instant.parse("2026-01-15T10:00:00Z");
    private static final Instant FEB = Instant.parse("2026-02-15T10:00:00Z");

    private static SearchDocument doc(String tenant, String id, String title, List<String> tags, Instant created) {
        return new SearchDocument(id, tenant, title, "Body of " + title, "author-1", tags, "en", "published",
                created, created);
    }

    @Test
    void oneTenantNeverSeesAnothersDocuments() {
        String a = "tenant-a-" + UUID.randomUUID();
        String b = "tenant-b-" + UUID.randomUUID();
        try (Sdk sdk = SearchStack.sdk(SearchStack.app("documents"))) {
            assertThat(sdk.checkHealth().module("search").status()).isEqualTo(HealthStatus.UP);
            assertThat(sdk.checkHealth().module("search").details()).containsEntry("nodes", 3);
            DocumentStore store = sdk.module(SearchModule.class).documents();
            store.index(doc(a, "same-id", "Quarterly budget report", List.of("finance"), JAN), true);
            store.index(doc(b, "same-id", "Quarterly budget secrets", List.of("finance"), JAN), true);

            SearchPage pageA = store.search(a, SearchQuery.text("budget"));
            assertThat(pageA.total()).isEqualTo(1);
            assertThat(pageA.hits().get(0).document().title()).isEqualTo("Quarterly budget report");
            assertThat(store.search(b, SearchQuery.text("report")).total()).isZero();
            assertThat(store.get(a, "same-id")).get().extracting(SearchDocument::tenantId).isEqualTo(a);
            assertThat(store.get("tenant-c", "same-id")).isEmpty();
            assertThatThrownBy(() -> store.search(" ", SearchQuery.text("x"))).hasMessageContaining("tenant");
        }
    }

    @Test
    void aDedicatedTenantGetsItsOwnIndicesAndTheClusterWithoutIlmUsesTheSdkRollover() throws Exception {
        String big = "bigcorp" + UUID.randomUUID().toString().substring(0, 6);
        String alias = "documents-" + big;
        SearchConfig base = SearchStack.app("documents");
        SearchConfig config = new SearchConfig(true, true, base.hosts(), base.caFile(), base.username(), base.password(),
                null, base.connectTimeout(), base.socketTimeout(), true, "documents", base.bulk(), base.lifecycle(),
                base.snapshots(), java.util.Map.of(big, alias), base.results());
        try (Sdk sdk = SearchStack.sdk(config)) {
            assertThat(sdk.checkHealth().module("search").details()).containsEntry("lifecycle", "sdk_rollover");
            DocumentStore store = sdk.module(SearchModule.class).documents();
            store.index(doc(big, "x1", "Big tenant plan", List.of("plan"), JAN), true);
            store.index(doc("small-" + big, "x1", "Small tenant plan", List.of("plan"), JAN), true);
            assertThat(store.search(big, SearchQuery.text("plan")).hits()).singleElement()
                    .satisfies(h -> assertThat(h.document().title()).isEqualTo("Big tenant plan"));
            var admin = SearchStack.admin();
            assertThat(admin.count(c -> c.index(alias + "-000001")).count()).isEqualTo(1);
            assertThat(admin.count(c -> c.index(alias + "-000001")
                    .query(q -> q.term(t -> t.field("tenantId").value("small-" + big)))).count()).isZero();
            admin.indices().delete(d -> d.index(alias + "-000001"));
        }
    }

    @Test
    void highlightsAggregationsAndSearchAfterPagination() {
        String t = "tenant-q-" + UUID.randomUUID();
        try (Sdk sdk = SearchStack.sdk(SearchStack.app("documents"))) {
            DocumentStore store = sdk.module(SearchModule.class).documents();
            List<BulkFailure> failures = new CopyOnWriteArrayList<>();
            try (BulkWriter writer = store.bulkWriter(failures::add)) {
                for (int i = 0; i < 45; i++) {
                    writer.add(doc(t, "d" + i, "Design review number " + i, i % 3 == 0 ? List.of("design", "review")
                            : List.of("design"), i % 2 == 0 ? JAN : FEB));
                }
            }
            assertThat(failures).isEmpty();
            store.refresh();
            SearchPage first = store.search(t, SearchQuery.text("review").withSize(20).withAggregations());
            assertThat(first.total()).isEqualTo(45);
            assertThat(first.hits().get(0).highlights().get("title").get(0)).contains("<em>review</em>");
            assertThat(first.tagCounts()).containsEntry("design", 45L).containsEntry("review", 15L);
            assertThat(first.monthCounts()).containsEntry("2026-01", 23L).containsEntry("2026-02", 22L);

            Set<String> seen = new HashSet<>();
            SearchPage page = first;
            List<Integer> sizes = new ArrayList<>();
            while (true) {
                page.hits().forEach(h -> seen.add(h.document().id()));
                sizes.add(page.hits().size());
                if (page.nextCursor() == null) {
                    break;
                }
                page = store.search(t, SearchQuery.text("review").withSize(20).after(page.nextCursor()));
            }
            assertThat(sizes).containsExactly(20, 20, 5);
            assertThat(seen).hasSize(45);
            assertThat(store.search(t, SearchQuery.text("review").withTags(List.of("review"))).total()).isEqualTo(15);
            assertThat(sdk.meterRegistry().get("search.query.duration").timer().count()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void aTenantWhoseNameEndsLikeAnotherTenantsIdPrefixCannotOverwriteItsDocument() {
        String victim = "vic" + UUID.randomUUID().toString().substring(0, 6);
        try (Sdk sdk = SearchStack.sdk(SearchStack.app("documents"))) {
            DocumentStore store = sdk.module(SearchModule.class).documents();
            store.index(doc(victim, "p:q", "Victim's acknowledged document", List.of("x"), JAN), true);
            store.index(doc(victim + ":p", "q", "Attacker's document", List.of("x"), JAN), true);

            assertThat(store.get(victim, "p:q")).get().extracting(SearchDocument::title)
                    .isEqualTo("Victim's acknowledged document");
            assertThat(store.get(victim + ":p", "q")).get().extracting(SearchDocument::title)
                    .isEqualTo("Attacker's document");
            assertThat(store.count(victim)).isEqualTo(1);
            assertThatThrownBy(() -> store.search("bad\ttenant", SearchQuery.text("x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
        }
    }

    @Test
    void highlightsEscapeTheDocumentsHtml() {
        String t = "tenant-h-" + UUID.randomUUID();
        try (Sdk sdk = SearchStack.sdk(SearchStack.app("documents"))) {
            DocumentStore store = sdk.module(SearchModule.class).documents();
            store.index(new SearchDocument("x", t, "Plan <img src=x onerror=alert(1)> launch", "<script>steal()</script> launch",
                    "a", List.of(), "en", "draft", JAN, JAN), true);
            SearchPage.Hit hit = store.search(t, SearchQuery.text("launch")).hits().get(0);
            assertThat(hit.highlights().get("title").get(0)).doesNotContain("<img").contains("&lt;img")
                    .contains("<em>launch</em>");
            assertThat(hit.highlights().get("body").get(0)).doesNotContain("<script>").contains("&lt;script&gt;");
        }
    }

    @Test
    void bulkIndexesEveryDocumentExactlyOnceAndReportsTheBadOnes() {
        String t = "tenant-bulk-" + UUID.randomUUID();
        int count = Integer.getInteger("search.it.bulkDocs", 100_000);
        try (Sdk sdk = SearchStack.sdk(SearchStack.app("documents"))) {
            DocumentStore store = sdk.module(SearchModule.class).documents();
            List<BulkFailure> failures = new CopyOnWriteArrayList<>();
            long t0 = System.nanoTime();
            try (BulkWriter writer = store.bulkWriter(failures::add)) {
                for (int i = 0; i < count; i++) {
                    writer.add(doc(t, "b" + i, "Bulk document " + i, List.of("bulk"), JAN));
                }
                // A keyword term over 32 KB cannot be indexed: it must reach the callback, not vanish.
                writer.add(doc(t, "bad", "Bad document", List.of("x".repeat(40_000)), JAN));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            store.refresh();
            System.out.printf("bulk: %d documents in %.1f s (%.0f docs/s)%n", count, seconds, count / seconds);
            assertThat(failures).singleElement().satisfies(f -> {
                assertThat(f.id()).isEqualTo("bad");
                assertThat(f.reason()).startsWith("document_parsing_exception").contains("[tags]").hasSizeLessThan(310);
            });
            assertThat(store.count(t)).isEqualTo(count);
            assertThat(sdk.meterRegistry().get("search.index.operations").tag("result", "success").counter().count())
                    .isEqualTo(count);
        }
    }
}
