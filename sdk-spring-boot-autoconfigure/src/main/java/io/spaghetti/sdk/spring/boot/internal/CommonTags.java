package io.spaghetti.sdk.spring.boot.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.core.env.ConfigurableEnvironment;

/** Gives the registry Boot creates the SDK's common tags ({@code service}, {@code instance}, {@code environment}). */
public final class CommonTags implements MeterRegistryCustomizer<MeterRegistry> {
    private final ConfigurableEnvironment environment;
    private final java.util.Set<MeterRegistry> tagged = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

    public CommonTags(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public void customize(MeterRegistry registry) {
        registry.config().commonTags(Sdk.commonTags(EnvironmentConfig.load(environment, System.getenv(),
                CommonTags.class.getClassLoader()).service()));
        synchronized (tagged) {
            tagged.add(registry);
        }
    }

    /** Whether Boot ran this customizer on the registry (it does for every registry bean its metrics set-up sees). */
    public boolean applied(MeterRegistry registry) {
        synchronized (tagged) {
            return tagged.contains(registry);
        }
    }
}
