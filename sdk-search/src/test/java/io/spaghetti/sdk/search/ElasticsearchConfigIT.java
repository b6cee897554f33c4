package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.testing.StackEnv;
import io.spaghetti.sdk.search.internal.SearchClientFactory;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;

/** The stack's nodes run the bundled elasticsearch/elasticsearch.yml, filled through its ES_* variables. */
class ElasticsearchConfigIT {

    @Test
    void everyNodeRunsTheBundledConfig() throws Exception {
        // the typed client cannot decode node settings of 8.19 (it requires cluster.election), so read raw JSON
        var rest = ((SearchClientFactory.Transport) SearchStack.admin()._transport()).restClient();
        JsonNode nodes = new ObjectMapper().readTree(rest.performRequest(
                new Request("GET", "/_nodes/settings?flat_settings=true")).getEntity().getContent()).path("nodes");
        assertThat(nodes.size()).isEqualTo(3);
        nodes.forEach(node -> {
            JsonNode s = node.path("settings");
            assertThat(s.path("cluster.name").asText()).isEqualTo("spaghetti-stack");
            assertThat(s.path("path.repo").toString()).contains(StackEnv.require("STACK_ES_SNAPSHOT_PATH"));
            assertThat(s.path("action.destructive_requires_name").asText()).isEqualTo("true");
            assertThat(s.path("node.roles").toString()).contains("master", "data", "ingest");
        });
    }
}
