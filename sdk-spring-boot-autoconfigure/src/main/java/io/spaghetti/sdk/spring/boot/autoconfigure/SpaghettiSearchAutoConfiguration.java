package io.spaghetti.sdk.spring.boot.autoconfigure;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.search.DocumentStore;
import io.spaghetti.sdk.search.SearchModule;
import io.spaghetti.sdk.spring.boot.SdkCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * Module {@code search} (sdk-search on the classpath): the module and its {@code DocumentStore}. An
 * {@code ElasticsearchClient} bean of the service's, when there is exactly one, is shared instead of a second client.
 */
@AutoConfiguration(after = SpaghettiSdkAutoConfiguration.class)
@ConditionalOnClass(SearchModule.class)
public class SpaghettiSearchAutoConfiguration {

    @Bean
    public SdkCustomizer spaghettiSearchClientCustomizer(ObjectProvider<ElasticsearchClient> existing) {
        return builder -> existing.ifUnique(client -> builder.module(new SearchModule(client)));
    }

    @Bean
    @ConditionalOnMissingBean
    public SearchModule spaghettiSearchModule(Sdk sdk) {
        return sdk.module(SearchModule.class);
    }

    /** Lazy: created at its first use, so a service that starts while optional search is DEGRADED still starts. */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public DocumentStore spaghettiDocumentStore(SearchModule search) {
        return search.documents();
    }
}
