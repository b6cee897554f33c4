package io.spaghetti.sdk.flags.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Flag evaluations as events on the current span (OpenFeature's {@code feature_flag.evaluation} event with its
 * {@code feature_flag.key}, {@code feature_flag.result.variant} and {@code feature_flag.result.reason}), not spans of
 * their own: an evaluation takes nanoseconds, and what matters is which request saw which variant.
 */
final class FlagEvents {
    static final String EVENT = "feature_flag.evaluation";

    private final ObservationRegistry registry;

    FlagEvents(ObservationRegistry registry) {
        this.registry = registry;
    }

    void evaluated(String flag, String variant, String reason) {
        if (registry.isNoop()) {
            return;
        }
        Observation current = registry.getCurrentObservation();
        if (current != null) {
            current.event(Observation.Event.of(EVENT, EVENT + " feature_flag.key=" + flag
                    + " feature_flag.result.variant=" + variant + " feature_flag.result.reason=" + reason
                    + " feature_flag.provider.name=unleash"));
        }
    }
}
