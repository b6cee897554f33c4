package io.spaghetti.sdk.backplane;

import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.ModuleSection;

/** Section {@code backplane}; defaults in {@code META-INF/spaghetti-sdk/defaults/backplane.yaml}. */
public record BackplaneConfig(boolean enabled, boolean required) implements ModuleSection {
    public static final ConfigSection<BackplaneConfig> SECTION = ConfigSection.of("backplane", BackplaneConfig.class);
}
