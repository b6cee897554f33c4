package io.spaghetti.sdk.crypto;

import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.ConfigSection;
import java.util.Set;

/** Module {@code crypto}: registered with the bootstrap; its capability is not built yet, so it is off by default. */
public final class CryptoModule implements SdkModule {
    @Override
    public String name() {
        return "crypto";
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of();
    }

    @Override
    public ConfigSection<CryptoConfig> configSection() {
        return CryptoConfig.SECTION;
    }

    @Override
    public void start(ModuleContext context) {
        throw new UnsupportedOperationException("sdk-crypto is a skeleton in this release: set crypto.enabled: false");
    }

    @Override
    public Health health() {
        return Health.down("sdk-crypto is a skeleton in this release");
    }

    @Override
    public void close() {
    }
}
