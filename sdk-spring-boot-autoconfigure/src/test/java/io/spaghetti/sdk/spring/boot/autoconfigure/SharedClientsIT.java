package io.spaghetti.sdk.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.testing.StackEnv;
import io.spaghetti.sdk.search.SearchModule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A service's own RedissonClient and ElasticsearchClient beans are shared by the SDK, against the real stack. */
class SharedClientsIT {

    @Configuration(proxyBeanMethods = false)
    static class OwnClients {
        @Bean(destroyMethod = "shutdown")
        RedissonClient redissonClient() {
            Config config = new Config();
            config.useSingleServer().setAddress("redis://" + StackEnv.require("STACK_REDIS_ADDRESS"))
                    .setPassword(StackEnv.require("STACK_REDIS_PASSWORD"));
            return Redisson.create(config);
        }
    }

    @Test
    void anExistingRedissonClientIsTheOneTheSdkUsesAndItOutlivesTheSdk() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SpaghettiSdkAutoConfiguration.class,
                        SpaghettiSearchAutoConfiguration.class))
                .withUserConfiguration(OwnClients.class)
                .withPropertyValues("spaghetti.search.enabled=false", "spaghetti.service.name=shared-clients")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RedissonClient own = context.getBean(RedissonClient.class);
                    Sdk sdk = context.getBean(Sdk.class);
                    assertThat(sdk.module(RedisModule.class).client()).isSameAs(own);
                    sdk.module(RedisModule.class).close();
                    assertThat(own.isShutdown()).as("the SDK leaves the service's client running").isFalse();
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSearchClient {
        @Bean
        ElasticsearchClient elasticsearchClient() throws Exception {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (var in = Files.newInputStream(Path.of(StackEnv.require("STACK_ES_CA_FILE")))) {
                trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(in));
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory
                    .getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            var credentials = new org.apache.http.impl.client.BasicCredentialsProvider();
            credentials.setCredentials(org.apache.http.auth.AuthScope.ANY, new org.apache.http.auth.UsernamePasswordCredentials(
                    StackEnv.require("STACK_ES_APP_USER"), StackEnv.require("STACK_ES_APP_PASSWORD")));
            String first = StackEnv.require("STACK_ES_HOSTS").split(",")[0];
            org.elasticsearch.client.RestClient rest = org.elasticsearch.client.RestClient
                    .builder(org.apache.http.HttpHost.create(first))
                    .setHttpClientConfigCallback(b -> b.setSSLContext(ssl).setDefaultCredentialsProvider(credentials))
                    .build();
            return new ElasticsearchClient(new co.elastic.clients.transport.rest_client.RestClientTransport(rest,
                    new co.elastic.clients.json.jackson.JacksonJsonpMapper()));
        }
    }

    @Test
    void anExistingElasticsearchClientIsTheOneTheSdkUses() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SpaghettiSdkAutoConfiguration.class,
                        SpaghettiSearchAutoConfiguration.class))
                .withUserConfiguration(OwnSearchClient.class)
                .withPropertyValues("spaghetti.redis.enabled=false", "spaghetti.service.name=shared-clients")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ElasticsearchClient own = context.getBean(ElasticsearchClient.class);
                    SearchModule search = context.getBean(SearchModule.class);
                    assertThat(search.client()).isSameAs(own);
                    assertThat(search.documents().count("shared-clients")).isGreaterThanOrEqualTo(0);
                    search.close();
                    assertThat(own.cluster().health().numberOfNodes()).as("the service's client stays open").isPositive();
                });
    }
}
