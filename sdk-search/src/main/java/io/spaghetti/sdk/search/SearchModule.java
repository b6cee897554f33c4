package io.spaghetti.sdk.search;

import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.ConfigSection;
import java.util.Set;

/** Module {@code search}: registered with the bootstrap; its capability is not built yet, so it is off by default. */
public final class SearchModule implements SdkModule {
    @Override
    public String name() {
        return "search";
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of();
    }

    @Override
    public ConfigSection<SearchConfig> configSection() {
        return SearchConfig.SECTION;
    }

    @Override
    public void start(ModuleContext context) {
        throw new UnsupportedOperationException("sdk-search is a skeleton in this release: set search.enabled: false");
    }

    @Override
    public Health health() {
        return Health.down("sdk-search is a skeleton in this release");
    }

    @Override
    public void close() {
    }
}
