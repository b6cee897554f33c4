package io.spaghetti.sdk.core.tracing;

import io.spaghetti.sdk.core.config.ConfigProblems;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.Validated;
import java.net.URI;

/**
 * Section {@code tracing}: where the SDK's traces go when the application did not hand it an
 * {@link io.micrometer.observation.ObservationRegistry}. Defaults in {@code META-INF/spaghetti-sdk/defaults/tracing.yaml}.
 *
 * @param zipkin            the Zipkin span endpoint; empty: no export (observations cost a no-op check)
 * @param sampleProbability the share of new traces recorded, 0.0 to 1.0
 */
public record TracingConfig(Zipkin zipkin, double sampleProbability) implements Validated {
    public static final ConfigSection<TracingConfig> SECTION = ConfigSection.of("tracing", TracingConfig.class);

    /** @param endpoint e.g. {@code http://127.0.0.1:9411/api/v2/spans}; empty or null: off */
    public record Zipkin(String endpoint) {
        public boolean enabled() {
            return endpoint != null && !endpoint.isBlank();
        }
    }

    public TracingConfig {
        zipkin = zipkin == null ? new Zipkin("") : zipkin;
    }

    /** Whether any export is configured. */
    public boolean exports() {
        return zipkin.enabled();
    }

    @Override
    public void validate(ConfigProblems problems, String path) {
        problems.require(sampleProbability >= 0 && sampleProbability <= 1, path + ".sampleProbability",
                sampleProbability, "must be between 0.0 and 1.0", "use 1.0 to record every trace, 0.1 for one in ten");
        if (zipkin.enabled()) {
            URI uri = null;
            try {
                uri = URI.create(zipkin.endpoint().trim());
            } catch (IllegalArgumentException e) {
                // reported below
            }
            problems.require(uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                            && uri.getHost() != null, path + ".zipkin.endpoint", zipkin.endpoint(),
                    "is not an http(s) URL", "use e.g. http://127.0.0.1:9411/api/v2/spans, or leave it empty");
        }
    }
}
