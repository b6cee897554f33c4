package io.spaghetti.sdk.search;

import io.spaghetti.sdk.search.internal.SearchBootstrap;
import io.spaghetti.sdk.search.internal.IndexLifecycle;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.search.internal.SearchClientFactory;

/**
 * The ops command behind {@code scripts/elasticsearch-setup.sh}: the same bootstrap services run at
 * start-up, against the cluster the usual configuration names ({@code SPAGHETTI_SEARCH_*}, the YAML
 * file, {@code -Dspaghetti.search.*}). Exits 0 when the cluster is current, 1 on failure.
 */
public final class SearchSetup {
    private SearchSetup() {
    }

    public static void main(String[] args) throws Exception {
        SearchConfig config = SdkConfig.load().section(SearchConfig.SECTION);
        ElasticsearchClient client = SearchClientFactory.create(config);
        try {
            BootstrapReport report = SearchBootstrap.installAll(client, config,
                    config.username() == null ? "(api key)" : config.username(), IndexLifecycle.detect(client));
            report.decisions().forEach(d -> System.out.println("  " + d));
            System.out.println("search setup done: " + report.writes() + " write(s)");
        } catch (RuntimeException e) {
            System.err.println("search setup failed: " + e.getMessage());
            System.exit(1);
        } finally {
            client._transport().close();
        }
    }
}
