package io.spaghetti.sdk.crypto;

import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.ModuleSection;

/** Section {@code crypto}; defaults in {@code META-INF/spaghetti-sdk/defaults/crypto.yaml}. */
public record CryptoConfig(boolean enabled, boolean required) implements ModuleSection {
    public static final ConfigSection<CryptoConfig> SECTION = ConfigSection.of("crypto", CryptoConfig.class);
}
