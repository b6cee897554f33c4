package io.spaghetti.sdk.signalr.internal.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One hub's meters. Tags stay bounded: {@code method} is one of the hub's own methods or {@code unknown},
 * {@code transport} one of three, {@code reason} a {@link DisconnectReason}.
 */
public final class HubMetrics {
    static final String UNKNOWN_METHOD = "unknown";
    private static final List<String> TRANSPORTS = List.of("WebSockets", "ServerSentEvents", "LongPolling");

    private final MeterRegistry registry;
    private final String hub;
    private final Map<String, Counter> connects = new ConcurrentHashMap<>();
    private final Map<DisconnectReason, Counter> disconnects = new EnumMap<>(DisconnectReason.class);
    private final Map<String, Timer> invocations = new ConcurrentHashMap<>();
    private final Counter reconnectsResumed;
    private final Counter reconnectsRefused;
    private final Timer conflictResolution;

    /** Registers every meter up front (invocations for each of {@code methods}), so dashboards see zeros, not gaps. */
    public HubMetrics(MeterRegistry registry, String hub, List<String> methods, Supplier<Number> activeConnections) {
        this.registry = registry;
        this.hub = hub;
        Gauge.builder("signalr.connections.active", activeConnections).tag("hub", hub)
                .description("Client connections this server holds for the hub").register(registry);
        for (String t : TRANSPORTS) {
            connects.put(t, Counter.builder("signalr.connects").tag("hub", hub).tag("transport", t)
                    .description("Client connections that completed the handshake").register(registry));
        }
        for (DisconnectReason r : DisconnectReason.values()) {
            disconnects.put(r, Counter.builder("signalr.disconnects").tag("hub", hub).tag("reason", r.tag())
                    .description("Client connections that ended, by reason").register(registry));
        }
        reconnectsResumed = Counter.builder("signalr.reconnects").tag("hub", hub).tag("outcome", "resumed")
                .description("Stateful reconnects").register(registry);
        reconnectsRefused = Counter.builder("signalr.reconnects").tag("hub", hub).tag("outcome", "refused")
                .description("Stateful reconnects").register(registry);
        for (String m : methods) {
            invoked(m, true, -1);
            invoked(m, false, -1);
        }
        invoked(UNKNOWN_METHOD, false, -1);
        conflictResolution = Timer.builder("collaboration.conflict.resolution").tag("hub", hub)
                .description("Time hub methods spent resolving concurrent edits").publishPercentileHistogram()
                .register(registry);
    }

    void connected(String transport) {
        connects.get(transport).increment();
    }

    void disconnected(DisconnectReason reason) {
        disconnects.get(reason).increment();
    }

    void reconnected(boolean resumed) {
        (resumed ? reconnectsResumed : reconnectsRefused).increment();
    }

    /** {@code method} must be one of the hub's methods or {@link #UNKNOWN_METHOD}; negative nanos only registers. */
    void invoked(String method, boolean success, long nanos) {
        String key = method + (success ? "/ok" : "/error");
        Timer timer = invocations.computeIfAbsent(key, k -> Timer.builder("signalr.invocations").tag("hub", hub)
                .tag("method", method).tag("outcome", success ? "success" : "error")
                .description("Hub method invocations by method and outcome").register(registry));
        if (nanos >= 0) {
            timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    public Timer conflictResolution() {
        return conflictResolution;
    }
}
