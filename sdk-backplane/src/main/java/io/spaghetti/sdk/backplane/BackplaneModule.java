package io.spaghetti.sdk.backplane;

import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.ConfigSection;
import java.util.Set;

/** Module {@code backplane}: registered with the bootstrap; its capability is not built yet, so it is off by default. */
public final class BackplaneModule implements SdkModule {
    @Override
    public String name() {
        return "backplane";
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of("redis");
    }

    @Override
    public ConfigSection<BackplaneConfig> configSection() {
        return BackplaneConfig.SECTION;
    }

    @Override
    public void start(ModuleContext context) {
        throw new UnsupportedOperationException("sdk-backplane is a skeleton in this release: set backplane.enabled: false");
    }

    @Override
    public Health health() {
        return Health.down("sdk-backplane is a skeleton in this release");
    }

    @Override
    public void close() {
    }
}
