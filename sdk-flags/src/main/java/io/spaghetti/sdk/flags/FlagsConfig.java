package io.spaghetti.sdk.flags;

import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.ModuleSection;

/** Section {@code flags}; defaults in {@code META-INF/spaghetti-sdk/defaults/flags.yaml}. */
public record FlagsConfig(boolean enabled, boolean required) implements ModuleSection {
    public static final ConfigSection<FlagsConfig> SECTION = ConfigSection.of("flags", FlagsConfig.class);
}
