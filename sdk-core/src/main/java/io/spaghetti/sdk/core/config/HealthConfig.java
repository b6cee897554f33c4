package io.spaghetti.sdk.core.config;

import java.time.Duration;

/**
 * Section {@code health}: how often module health is evaluated and how long one check may take.
 * {@code Sdk.health()} reads the last result, so a hung dependency never hangs a health request.
 */
public record HealthConfig(Duration interval, Duration timeout) implements Validated {
    public static final ConfigSection<HealthConfig> SECTION = ConfigSection.of("health", HealthConfig.class);

    @Override
    public void validate(ConfigProblems problems, String path) {
        problems.require(interval != null && !interval.isNegative() && !interval.isZero(), path + ".interval",
                interval, "must be positive", "use e.g. 5s");
        problems.require(timeout != null && !timeout.isNegative() && !timeout.isZero()
                && (interval == null || timeout.compareTo(interval) <= 0), path + ".timeout", timeout,
                "must be positive and at most health.interval", "use e.g. 2s with a 5s interval");
    }
}
