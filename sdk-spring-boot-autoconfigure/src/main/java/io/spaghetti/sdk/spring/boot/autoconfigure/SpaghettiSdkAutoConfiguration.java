package io.spaghetti.sdk.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.ai.AiCache;
import io.spaghetti.sdk.core.ai.AiMetrics;
import io.spaghetti.sdk.core.cache.Caches;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import io.spaghetti.sdk.core.resilience.Resilience;
import io.spaghetti.sdk.spring.boot.SdkCustomizer;
import io.spaghetti.sdk.spring.boot.internal.EnvironmentConfig;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import io.spaghetti.sdk.spring.boot.internal.CommonTags;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The SDK in a Boot service: its configuration bound from Spring's {@code Environment}, every module on the
 * classpath started with the application context on the application's {@code MeterRegistry} and
 * {@code ObservationRegistry} (so Boot's tracing records the SDK's operations), and closed with
 * the context, after the web server has finished its graceful shutdown (Spring stops lifecycles, the web
 * server among them, before it destroys beans).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration"})
public class SpaghettiSdkAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public SdkConfig spaghettiSdkConfig(ConfigurableEnvironment environment, ObjectProvider<CommonTags> tags) {
        CommonTags bound = tags.getIfAvailable();
        return bound != null ? bound.config()
                : EnvironmentConfig.load(environment, System.getenv(), SpaghettiSdkAutoConfiguration.class.getClassLoader());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Sdk spaghettiSdk(SdkConfig config, ObjectProvider<MeterRegistry> meters,
            ObjectProvider<RedissonClient> redisson, ObjectProvider<SdkCustomizer> customizers,
            ObjectProvider<CommonTags> tagged, ObjectProvider<ObservationRegistry> observations,
            ObjectProvider<Tracer> tracers) {
        Sdk.Builder builder = Sdk.builder().config(config);
        meters.ifUnique(registry -> {
            CommonTags tags = tagged.getIfAvailable();
            if (tags != null && tags.applied(registry)) {
                builder.taggedMeterRegistry(registry);
            } else {
                builder.meterRegistry(registry);
            }
        });
        redisson.ifUnique(client -> builder.module(new RedisModule(client)));
        // The application's tracing (Boot's Brave or OpenTelemetry bridge) sees every SDK operation.
        observations.ifUnique(registry -> builder.observationRegistry(registry, tracers.getIfUnique()));
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /**
     * The SDK's common tags on the registry Boot creates, before any meter is registered (Micrometer warns about
     * tags added later). Static, and reading the Environment itself: registries are built before ordinary beans.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer")
    static class Tagging {
        @Bean
        static CommonTags spaghettiCommonTags(ConfigurableEnvironment environment) {
            return new CommonTags(environment);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    public Caches spaghettiCaches(Sdk sdk) {
        return sdk.cache();
    }

    @Bean
    @ConditionalOnMissingBean
    public AiMetrics spaghettiAiMetrics(Sdk sdk) {
        return sdk.aiMetrics();
    }

    @Bean
    @ConditionalOnMissingBean
    public AiCache spaghettiAiCache(Sdk sdk) {
        return sdk.aiCache();
    }

    @Bean
    @ConditionalOnMissingBean
    public Resilience spaghettiResilience(Sdk sdk) {
        return sdk.resilience();
    }

    @Bean
    @ConditionalOnMissingBean
    public RedisModule spaghettiRedisModule(Sdk sdk) {
        return sdk.module(RedisModule.class);
    }
}
