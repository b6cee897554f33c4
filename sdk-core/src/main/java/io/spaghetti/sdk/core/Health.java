package io.spaghetti.sdk.core;

import java.util.Map;
import java.util.Objects;

/**
 * A module's state as its health check sees it.
 *
 * @param reason  why it is not UP (null when UP)
 * @param details bounded facts for operators (mode, node count), in the order given; never secrets
 */
public record Health(HealthStatus status, String reason, Map<String, Object> details) {
    public Health {
        Objects.requireNonNull(status, "status");
        // Insertion order is kept: operators read the JSON, and a caller's order is its order of importance.
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /** Details in the order given: {@code details("mode", "cluster", "nodes", 3)}. */
    public static Map<String, Object> details(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("details are key, value pairs: got an odd number of arguments");
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    public static Health up(Map<String, Object> details) {
        return new Health(HealthStatus.UP, null, details);
    }

    public static Health up() {
        return up(Map.of());
    }

    public static Health degraded(String reason) {
        return new Health(HealthStatus.DEGRADED, reason, Map.of());
    }

    public static Health down(String reason) {
        return new Health(HealthStatus.DOWN, reason, Map.of());
    }

    public static Health disabled() {
        return new Health(HealthStatus.DISABLED, "disabled by configuration", Map.of());
    }

    public Health withDetails(Map<String, Object> more) {
        java.util.Map<String, Object> all = new java.util.LinkedHashMap<>(details);
        all.putAll(more);
        return new Health(status, reason, all);
    }
}
