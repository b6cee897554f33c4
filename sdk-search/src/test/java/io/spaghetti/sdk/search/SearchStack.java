package io.spaghetti.sdk.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.testing.StackEnv;
import io.spaghetti.sdk.search.internal.SearchClientFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Connections to the stack's secured cluster as its different users. */
final class SearchStack {
    private SearchStack() {
    }

    static SearchConfig config(String user, String passwordKey, boolean bootstrap, String alias) {
        SearchConfig d = SdkConfig.defaults().section(SearchConfig.SECTION);
        return new SearchConfig(true, true, List.of(StackEnv.require("STACK_ES_HOSTS").split(",")),
                Path.of(StackEnv.require("STACK_ES_CA_FILE")), user, Secret.ofValue(StackEnv.require(passwordKey)), null,
                d.connectTimeout(), d.socketTimeout(), bootstrap, alias, d.bulk(), d.lifecycle(), d.snapshots(),
                Map.of(), d.results());
    }

    static SearchConfig app(String alias) {
        return config(StackEnv.require("STACK_ES_APP_USER"), "STACK_ES_APP_PASSWORD", true, alias);
    }

    static ElasticsearchClient admin() {
        return SearchClientFactory.create(config(StackEnv.require("STACK_ES_USER"), "STACK_ES_PASSWORD", false, "documents"));
    }

    static Sdk sdk(SearchConfig search) {
        SdkConfig config = SdkConfig.loader().yaml("t", "redis:\n  enabled: false\n").environment(Map.of())
                .systemProperties(new Properties()).load().with(SearchConfig.SECTION, search);
        return Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new SearchModule())).build();
    }
}
