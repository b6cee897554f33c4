package io.spaghetti.sdk.spring.boot.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Gives the registry Boot creates the SDK's common tags ({@code service}, {@code instance}, {@code environment}).
 * Registries are built before ordinary beans, so this binds the SDK's configuration itself, once, and the
 * {@code SdkConfig} bean then takes that same binding.
 */
public final class CommonTags implements MeterRegistryCustomizer<MeterRegistry> {
    private final ConfigurableEnvironment environment;
    private final Set<MeterRegistry> tagged = Collections.newSetFromMap(new WeakHashMap<>());
    private volatile SdkConfig config;

    public CommonTags(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    /** The SDK's configuration from the Environment, bound at the first call. */
    public SdkConfig config() {
        SdkConfig c = config;
        if (c == null) {
            synchronized (this) {
                if (config == null) {
                    config = EnvironmentConfig.load(environment, System.getenv(), CommonTags.class.getClassLoader());
                }
                c = config;
            }
        }
        return c;
    }

    @Override
    public void customize(MeterRegistry registry) {
        registry.config().commonTags(Sdk.commonTags(config().service()));
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
