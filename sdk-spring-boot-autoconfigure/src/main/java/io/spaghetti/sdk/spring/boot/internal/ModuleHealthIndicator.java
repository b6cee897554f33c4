package io.spaghetti.sdk.spring.boot.internal;

import io.spaghetti.sdk.core.HealthReport;
import io.spaghetti.sdk.core.Sdk;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One SDK module's health as Actuator shows it. It reads the SDK's last periodic check, so a request to
 * {@code /actuator/health} never waits on Redis or Elasticsearch.
 */
public final class ModuleHealthIndicator implements HealthIndicator {
    public static final Status DEGRADED = new Status("DEGRADED", "works with reduced capability");
    public static final Status DISABLED = new Status("DISABLED", "switched off by configuration");

    private final Supplier<Sdk> sdk;
    private final String module;

    public ModuleHealthIndicator(Supplier<Sdk> sdk, String module) {
        this.sdk = sdk;
        this.module = module;
    }

    /** The Actuator name of a module's indicator: {@code spaghettiRedis}. */
    public static String contributorName(String module) {
        return "spaghetti" + Character.toUpperCase(module.charAt(0)) + module.substring(1);
    }

    @Override
    public Health health() {
        Optional<HealthReport.ModuleHealth> found = sdk.get().health().modules().stream()
                .filter(h -> h.module().equals(module)).findFirst();
        if (found.isEmpty()) {
            return Health.unknown().withDetail("reason", "the SDK was started without this module").build();
        }
        HealthReport.ModuleHealth m = found.get();
        // As in the SDK's own report: an optional module that is DOWN leaves the service DEGRADED, not DOWN.
        Health.Builder b = Health.status(switch (m.status()) {
            case UP -> Status.UP;
            case DEGRADED -> DEGRADED;
            case DOWN -> m.required() ? Status.DOWN : DEGRADED;
            case DISABLED -> DISABLED;
        });
        if (m.status() == io.spaghetti.sdk.core.HealthStatus.DOWN && !m.required()) {
            b.withDetail("moduleStatus", "DOWN");
        }
        if (m.reason() != null) {
            b.withDetail("reason", m.reason());
        }
        return b.withDetail("required", m.required())
                .withDetail("latencyMs", m.latency().toNanos() / 1e6)
                .withDetails(m.details())
                .build();
    }
}
