package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.spaghetti.sdk.search.internal.SearchBootstrap;
import io.spaghetti.sdk.search.internal.IndexLifecycle;
import io.spaghetti.sdk.search.internal.SecurityRoles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.config.SdkConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SearchConfig withDedicated(Map<String, String> dedicated) {
        SearchConfig d = SdkConfig.defaults().section(SearchConfig.SECTION);
        return new SearchConfig(true, true, List.of("http://127.0.0.1:1"), null, null, null, null, d.connectTimeout(),
                d.socketTimeout(), true, "documents", d.bulk(), d.lifecycle(), d.snapshots(), dedicated, d.results());
    }

    @Test
    void onIlmClustersEveryAliasGetsATemplateNamingItselfAsTheRolloverAlias() throws Exception {
        try (RecordingElasticsearch es = new RecordingElasticsearch()) {
            SearchBootstrap.installAll(es.client(), withDedicated(Map.of("bigcorp", "documents-bigcorp")), "app",
                    IndexLifecycle.Mode.ILM);

            JsonNode policy = JSON.readTree(es.bodyOf("PUT", "/_ilm/policy/30-day-rollover"));
            assertThat(policy.at("/policy/phases/hot/actions/rollover/max_age").asText()).isEqualTo("30d");
            JsonNode shared = JSON.readTree(es.bodyOf("PUT", "/_index_template/spaghetti-documents"));
            assertThat(shared.at("/template/settings/index.lifecycle.name").asText()).isEqualTo("30-day-rollover");
            assertThat(shared.at("/template/settings/index.lifecycle.rollover_alias").asText()).isEqualTo("documents");
            assertThat(shared.at("/index_patterns/0").asText()).isEqualTo("documents-*");

            JsonNode dedicated = JSON.readTree(es.bodyOf("PUT", "/_index_template/spaghetti-documents-documents-bigcorp"));
            assertThat(dedicated.at("/template/settings/index.lifecycle.rollover_alias").asText())
                    .isEqualTo("documents-bigcorp");
            assertThat(dedicated.get("index_patterns")).hasSize(1);
            assertThat(dedicated.at("/index_patterns/0").asText()).isEqualTo("documents-bigcorp-*");
            assertThat(dedicated.get("priority").asInt()).isGreaterThan(shared.get("priority").asInt());
            assertThat(dedicated.get("composed_of")).isEqualTo(shared.get("composed_of"));
            JSON.readTree(es.bodyOf("PUT", "/documents-bigcorp-000001"));
        }
    }

    @Test
    void aTemplateOfTheCurrentVersionWithoutThePolicyIsRewrittenOnIlmClusters() throws Exception {
        byte[] bundled = SearchBootstrap.bundled(SearchBootstrap.INDEX_TEMPLATE_RESOURCE);
        long version = JSON.readTree(bundled).get("version").asLong();
        try (RecordingElasticsearch es = new RecordingElasticsearch()) {
            // What the setup script used to leave: the current version, no lifecycle settings.
            es.responses.put("GET /_index_template/spaghetti-documents", "{\"index_templates\":[{\"name\":"
                    + "\"spaghetti-documents\",\"index_template\":{\"index_patterns\":[\"documents-*\"],"
                    + "\"composed_of\":[],\"version\":" + version + "}}]}");
            SearchBootstrap.installAll(es.client(), withDedicated(Map.of()), "app", IndexLifecycle.Mode.ILM);
            JsonNode sent = JSON.readTree(es.bodyOf("PUT", "/_index_template/spaghetti-documents"));
            assertThat(sent.at("/template/settings/index.lifecycle.name").asText()).isEqualTo("30-day-rollover");
        }
    }

    @Test
    void withoutIlmNoPolicyIsSentAndOnlyTheSharedTemplateExists() throws Exception {
        try (RecordingElasticsearch es = new RecordingElasticsearch()) {
            SearchBootstrap.installAll(es.client(), withDedicated(Map.of("bigcorp", "documents-bigcorp")), "app",
                    IndexLifecycle.Mode.SDK_ROLLOVER);
            assertThat(es.requests).noneMatch(r -> r.path().startsWith("/_ilm"));
            assertThat(es.requests).filteredOn(r -> r.method().equals("PUT") && r.path().startsWith("/_index_template/"))
                    .extracting(RecordingElasticsearch.Request::path).containsOnly("/_index_template/spaghetti-documents");
            assertThat(JSON.readTree(es.bodyOf("PUT", "/_index_template/spaghetti-documents"))
                    .at("/template/settings").isMissingNode()).isTrue();
        }
    }

    @Test
    void onIlmClustersTheTemplateNamesThePolicyAndTheRolloverAlias() throws Exception {
        byte[] bundled = SearchBootstrap.bundled(SearchBootstrap.INDEX_TEMPLATE_RESOURCE);
        JsonNode t = JSON.readTree(IndexLifecycle.withPolicy(bundled, "documents", false));
        assertThat(t.at("/template/settings/index.lifecycle.name").asText()).isEqualTo("30-day-rollover");
        assertThat(t.at("/template/settings/index.lifecycle.rollover_alias").asText()).isEqualTo("documents");
        assertThat(t.get("version").asLong()).isEqualTo(JSON.readTree(bundled).get("version").asLong());
        assertThat(JSON.readTree(bundled).at("/template/settings").isMissingNode()).isTrue();
    }

    @Test
    void theBundledPolicyRollsOverAt30DaysOr50GbPerPrimaryShard() throws Exception {
        JsonNode p = JSON.readTree(SearchBootstrap.bundled("lifecycle/30-day-rollover.json"));
        assertThat(p.at("/phases/hot/actions/rollover/max_age").asText()).isEqualTo("30d");
        assertThat(p.at("/phases/hot/actions/rollover/max_primary_shard_size").asText()).isEqualTo("50gb");
        assertThat(p.at("/phases/delete/actions").has("delete")).isTrue();
    }

    @Test
    void aServerErrorWritingRolesIsAnErrorNotAFileRealmReport() throws Exception {
        try (RecordingElasticsearch es = new RecordingElasticsearch()) {
            es.failWith500("PUT /_security/role/");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SecurityRoles.install(es.client()))
                    .hasMessageContaining("install role");
        }
    }
}
