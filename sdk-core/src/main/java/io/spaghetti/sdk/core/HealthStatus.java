package io.spaghetti.sdk.core;

/** Ordered from best to worst; DISABLED means switched off by configuration. */
public enum HealthStatus {
    UP, DISABLED, DEGRADED, DOWN;

    /** The worse of two statuses; DISABLED never makes the whole worse. */
    public HealthStatus worst(HealthStatus other) {
        HealthStatus a = this == DISABLED ? UP : this;
        HealthStatus b = other == DISABLED ? UP : other;
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
