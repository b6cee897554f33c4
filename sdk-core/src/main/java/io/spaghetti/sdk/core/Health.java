package io.spaghetti.sdk.core;

import java.util.Map;
import java.util.Objects;

/**
 * A module's state as its health check sees it.
 *
 * @param reason  why it is not UP (null when UP)
 * @param details bounded facts for operators (mode, node count); never secrets
 */
public record Health(HealthStatus status, String reason, Map<String, Object> details) {
    public Health {
        Objects.requireNonNull(status, "status");
        details = Map.copyOf(details);
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
