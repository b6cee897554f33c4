package io.spaghetti.sdk.spring.boot.internal;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The Actuator settings the SDK's health needs, as the lowest-ranked defaults (any setting of the service wins):
 * DEGRADED is a status of its own, between DOWN and UP, answered with HTTP 200 (Actuator answers 200 for
 * every status it has no mapping for; setting one mapping would drop its defaults, DOWN 503 among them); DISABLED (a module switched off)
 * ranks below UP so it never lowers the whole; and the liveness and readiness groups exist outside Kubernetes too.
 */
public final class HealthDefaults implements EnvironmentPostProcessor {
    static final String SOURCE = "spaghettiHealthDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(
                "management.endpoint.health.status.order", "down,out-of-service,degraded,up,disabled,unknown",
                "management.endpoint.health.probes.enabled", "true")));
    }
}
