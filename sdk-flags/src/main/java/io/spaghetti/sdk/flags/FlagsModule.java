package io.spaghetti.sdk.flags;

import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.ConfigSection;
import java.util.Set;

/** Module {@code flags}: registered with the bootstrap; its capability is not built yet, so it is off by default. */
public final class FlagsModule implements SdkModule {
    @Override
    public String name() {
        return "flags";
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of();
    }

    @Override
    public ConfigSection<FlagsConfig> configSection() {
        return FlagsConfig.SECTION;
    }

    @Override
    public void start(ModuleContext context) {
        throw new UnsupportedOperationException("sdk-flags is a skeleton in this release: set flags.enabled: false");
    }

    @Override
    public Health health() {
        return Health.down("sdk-flags is a skeleton in this release");
    }

    @Override
    public void close() {
    }
}
