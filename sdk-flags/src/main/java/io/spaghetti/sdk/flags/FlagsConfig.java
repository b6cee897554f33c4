package io.spaghetti.sdk.flags;

import io.spaghetti.sdk.core.config.ConfigProblems;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.ModuleSection;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.config.Validated;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Section {@code flags}; defaults in {@code META-INF/spaghetti-sdk/defaults/flags.yaml}.
 *
 * @param url         the Unleash API, e.g. {@code http://unleash:4242/api}; null: no server, the bundled definitions answer
 * @param apiToken    a backend token (reference)
 * @param appName     empty: {@code service.name}
 * @param backupFile  last known server state; null: {@code <tmp>/spaghetti-flags-<appName>.json}
 * @param definitions the flag definitions (Unleash export format) used as bootstrap, {@code classpath:} or a path
 * @param answerCacheSize answers of deterministic flags kept per state, by flag and context, so a repeated
 *                    evaluation skips the client's engine (usage counts stay exact); 0: every call goes to the engine
 */
public record FlagsConfig(boolean enabled, boolean required, String url, Secret apiToken, String appName,
        String environment, Duration pollInterval, Duration metricsInterval, boolean sendMetrics, Path backupFile,
        String definitions, int answerCacheSize) implements ModuleSection, Validated {

    public static final ConfigSection<FlagsConfig> SECTION = ConfigSection.of("flags", FlagsConfig.class);

    @Override
    public void validate(ConfigProblems problems, String path) {
        problems.require(url == null || url.matches("https?://.+"), path + ".url", url, "is not an http(s) URL",
                "write the Unleash API URL, e.g. http://unleash:4242/api, or leave it unset to use the definitions only");
        problems.require(url == null || apiToken != null, path + ".apiToken", null, "is required with a url",
                "set it to the reference of a backend token, e.g. env:UNLEASH_TOKEN");
        problems.require(pollInterval.getSeconds() >= 1, path + ".pollInterval", pollInterval,
                "must be at least 1s", "use e.g. 10s");
        problems.require(metricsInterval.getSeconds() >= 1, path + ".metricsInterval", metricsInterval,
                "must be at least 1s", "use e.g. 60s");
        problems.require(answerCacheSize >= 0, path + ".answerCacheSize", answerCacheSize, "must not be negative",
                "use e.g. 10000, or 0 to evaluate every call in the client's engine");
        problems.require(definitions != null && !definitions.isBlank(), path + ".definitions", definitions,
                "is empty", "use classpath:flags/platform-flags.json or a file path");
    }
}
