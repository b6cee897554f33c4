package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class IndexLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onIlmClustersTheTemplateNamesThePolicyAndTheRolloverAlias() throws Exception {
        byte[] bundled = SearchBootstrap.bundled(SearchBootstrap.INDEX_TEMPLATE_RESOURCE);
        JsonNode t = JSON.readTree(IndexLifecycle.withPolicy(bundled, "documents"));
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
}
