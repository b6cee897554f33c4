package io.spaghetti.sdk.spring.boot.autoconfigure;

import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.spring.boot.internal.ModuleHealthRegistrar;
import io.spaghetti.sdk.spring.boot.internal.ReadinessMembership;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Actuator health: one contributor per SDK module with the SDK's details (status, reason, required, latency,
 * the module's facts), DEGRADED as its own status answered with 200, and the required modules in the readiness
 * group.
 */
@AutoConfiguration(after = SpaghettiSdkAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
public class SpaghettiHealthAutoConfiguration {

    @Bean
    public static ModuleHealthRegistrar spaghettiModuleHealthRegistrar() {
        return new ModuleHealthRegistrar(SpaghettiHealthAutoConfiguration.class.getClassLoader());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor",
            "org.springframework.boot.actuate.endpoint.SecurityContext"})
    static class Readiness {
        @Bean
        ReadinessMembership spaghettiReadinessMembership(ObjectProvider<Sdk> sdk, Environment environment) {
            return new ReadinessMembership(sdk::getObject,
                    environment.getProperty("management.endpoint.health.probes.enabled", Boolean.class, true));
        }
    }
}
