package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.nodes.NodesInfoResponse;
import io.spaghetti.sdk.core.testing.StackEnv;
import org.junit.jupiter.api.Test;

/** The stack's nodes run the bundled elasticsearch/elasticsearch.yml, filled through its ES_* variables. */
class ElasticsearchConfigIT {

    @Test
    void everyNodeRunsTheBundledConfig() throws Exception {
        ElasticsearchClient admin = SearchStack.admin();
        NodesInfoResponse info = admin.nodes().info(r -> r.metric("settings"));
        assertThat(info.nodes()).hasSize(3);
        info.nodes().values().forEach(node -> {
            var settings = node.settings();
            assertThat(settings.cluster().name()).isEqualTo("spaghetti-stack");
            assertThat(settings.path().repo()).containsExactly(StackEnv.require("STACK_ES_SNAPSHOT_PATH"));
            assertThat(settings.action().destructiveRequiresName()).isEqualTo("true");
        });
    }
}
