package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;
import io.spaghetti.sdk.search.internal.SearchBootstrap;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.spaghetti.sdk.core.SdkStartupException;
import io.spaghetti.sdk.core.testing.StackEnv;
import io.spaghetti.sdk.search.internal.SearchClientFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bootstrap against the real secured cluster, starting each test from a cluster without the SDK's resources. */
class SearchBootstrapIT {
    private static final String ALIAS = "documents";
    private final ElasticsearchClient admin = SearchStack.admin();

    @BeforeEach
    void empty() throws Exception {
        // Destructive requests need explicit names on 8.x.
        List<String> indices = new ArrayList<>(admin.indices().get(g -> g.index("documents-*").allowNoIndices(true))
                .result().keySet());
        if (!indices.isEmpty()) {
            admin.indices().delete(d -> d.index(indices));
        }
        try {
            admin.indices().deleteIndexTemplate(d -> d.name(SearchBootstrap.INDEX_TEMPLATE));
        } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
            assertThat(e.status()).isEqualTo(404);
        }
        for (String name : SearchBootstrap.COMPONENT_TEMPLATES.keySet()) {
            try {
                admin.cluster().deleteComponentTemplate(d -> d.name(name));
            } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
                assertThat(e.status()).isEqualTo(404);
            }
        }
    }

    @AfterAll
    static void leaveTheBundledVersionInstalled() {
        new SearchBootstrap(SearchStack.admin(), ALIAS, "elastic").run();
    }

    private SearchBootstrap bootstrap(ElasticsearchClient client) {
        return new SearchBootstrap(client, ALIAS, "test");
    }

    @Test
    void fromEmptyThenASecondRunMakesNoWrite() throws Exception {
        ElasticsearchClient app = SearchClientFactory.create(SearchStack.app(ALIAS));
        BootstrapReport first = bootstrap(app).run();
        assertThat(first.writes()).isEqualTo(4);
        assertThat(first.decisions()).anyMatch(d -> d.contains("missing, installing version 1"))
                .anyMatch(d -> d.contains("created documents-000001 as the write index of documents"));
        BootstrapReport second = bootstrap(app).run();
        assertThat(second.writes()).isZero();
        assertThat(second.decisions()).allMatch(d -> d.contains("is current") || d.contains("nothing to do"));

        var index = admin.indices().get(g -> g.index("documents-000001")).result().get("documents-000001");
        assertThat(index.settings().index().numberOfShards()).isEqualTo("3");
        assertThat(index.settings().index().numberOfReplicas()).isEqualTo("1");
        assertThat(index.mappings().properties()).containsKeys("tenantId", "title", "body", "tags", "created");
        assertThat(index.aliases().get(ALIAS).isWriteIndex()).isTrue();
    }

    @Test
    void upgradesAnOlderTemplateAndNeverDowngrades() throws Exception {
        bootstrap(admin).run();
        SearchBootstrap v2 = new SearchBootstrap(admin, ALIAS, "test", resource -> {
            String json = new String(SearchBootstrap.bundled(resource), StandardCharsets.UTF_8);
            return (resource.contains("mappings") ? json.replace("\"version\": 1", "\"version\": 2") : json)
                    .getBytes(StandardCharsets.UTF_8);
        });
        BootstrapReport upgraded = v2.run();
        assertThat(upgraded.writes()).isEqualTo(1);
        assertThat(upgraded.decisions()).anyMatch(d -> d.equals("spaghetti-documents-mappings: upgrading version 1 to 2"));
        assertThat(admin.cluster().getComponentTemplate(g -> g.name("spaghetti-documents-mappings"))
                .componentTemplates().get(0).componentTemplate().version()).isEqualTo(2L);

        BootstrapReport older = bootstrap(admin).run();
        assertThat(older.writes()).isZero();
        assertThat(older.decisions()).anyMatch(d -> d.contains("cluster has newer version 2 than bundled 1, keeping it"));
    }

    @Test
    void tenInstancesBootstrappingTogetherEndInOneStateWithoutErrors() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<BootstrapReport>> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ElasticsearchClient c = SearchClientFactory.create(SearchStack.app(ALIAS));
            runs.add(pool.submit(() -> bootstrap(c).run()));
        }
        for (Future<BootstrapReport> r : runs) {
            assertThat(r.get().decisions()).isNotEmpty();
        }
        pool.shutdown();
        var aliases = admin.indices().getAlias(a -> a.name(ALIAS)).result();
        assertThat(aliases).containsOnlyKeys("documents-000001");
    }

    @Test
    void wrongPasswordAndMissingPrivilegeAreClearErrors() {
        SearchConfig wrong = SearchStack.config(StackEnv.require("STACK_ES_APP_USER"), "STACK_ES_APP_PASSWORD", true, ALIAS);
        SearchConfig badPassword = new SearchConfig(true, true, wrong.hosts(), wrong.caFile(), wrong.username(),
                io.spaghetti.sdk.core.config.Secret.ofValue("not-the-password"), null, wrong.connectTimeout(),
                wrong.socketTimeout(), true, ALIAS, wrong.bulk(), wrong.lifecycle(), wrong.snapshots(), Map.of(), wrong.results());
        assertThatThrownBy(() -> SearchStack.sdk(badPassword)).isInstanceOf(SdkStartupException.class)
                .hasMessageContaining("Elasticsearch rejected the credentials of user 'spaghetti_app'")
                .hasMessageContaining("(401)").hasMessageNotContaining("not-the-password");

        SearchConfig reader = SearchStack.config(StackEnv.require("STACK_ES_READER_USER"), "STACK_ES_APP_PASSWORD", true,
                ALIAS);
        assertThatThrownBy(() -> SearchStack.sdk(reader)).isInstanceOf(SdkStartupException.class)
                .hasMessageContaining("User 'spaghetti_reader' lacks a privilege needed to bootstrap the index templates (403)");
    }
}
