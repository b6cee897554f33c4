package io.spaghetti.sdk.search;

import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.ModuleSection;

/** Section {@code search}; defaults in {@code META-INF/spaghetti-sdk/defaults/search.yaml}. */
public record SearchConfig(boolean enabled, boolean required) implements ModuleSection {
    public static final ConfigSection<SearchConfig> SECTION = ConfigSection.of("search", SearchConfig.class);
}
