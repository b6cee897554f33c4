package io.spaghetti.sdk.core;

import io.spaghetti.sdk.core.config.ConfigSection;
import java.util.Set;

/**
 * Base of a module that is registered with the bootstrap before its capability exists: off by
 * default, and a clear error if someone enables it.
 */
public abstract class PlannedModule implements SdkModule {
    private final String name;
    private final Set<String> dependsOn;
    private final ConfigSection<?> section;

    protected PlannedModule(String name, Set<String> dependsOn, ConfigSection<?> section) {
        this.name = name;
        this.dependsOn = Set.copyOf(dependsOn);
        this.section = section;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<String> dependsOn() {
        return dependsOn;
    }

    @Override
    public final ConfigSection<?> configSection() {
        return section;
    }

    @Override
    public final void start(ModuleContext context) {
        throw new UnsupportedOperationException("sdk-" + name + " is not built yet in this release: set " + name
                + ".enabled: false");
    }

    @Override
    public final Health health() {
        return Health.down("sdk-" + name + " is not built yet in this release");
    }

    @Override
    public final void close() {
    }
}
