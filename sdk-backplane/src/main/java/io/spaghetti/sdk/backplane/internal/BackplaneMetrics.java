package io.spaghetti.sdk.backplane.internal;

import java.util.Locale;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The backplane's meters for one hub; every tag value comes from a fixed set. */
final class BackplaneMetrics {
    enum Kind {
        ALL, GROUP, USER, CONNECTION, GROUP_COMMAND, ACK, COMPLETION;

        /** As log lines and errors say it: {@code group command}. */
        String description() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    enum Undelivered { PUBLISH_FAILED, NO_RECEIVER, PROTOCOL_MISSING, SINK_FAILED, MALFORMED, OVERSIZED, SLOW_CONSUMER }

    private final Map<Kind, Counter> sent = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> received = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> publishErrors = new EnumMap<>(Kind.class);
    private final Map<Undelivered, Counter> undelivered = new EnumMap<>(Undelivered.class);
    private final Timer deliveryLatency;
    private final Counter reconnects;
    private final Timer groupAck;
    private final Counter groupAckTimeouts;
    private final Map<String, Counter> clientResults;
    private final Counter slowConsumersClosed;

    BackplaneMetrics(MeterRegistry registry, String hub, Supplier<Number> connections, Supplier<Number> collaborators) {
        for (Kind k : Kind.values()) {
            String kind = tag(k);
            sent.put(k, Counter.builder("backplane.messages.sent").tag("hub", hub).tag("kind", kind)
                    .description("Messages published to Redis").register(registry));
            received.put(k, Counter.builder("backplane.messages.received").tag("hub", hub).tag("kind", kind)
                    .description("Messages received from Redis").register(registry));
            publishErrors.put(k, Counter.builder("backplane.publish.errors").tag("hub", hub).tag("kind", kind)
                    .description("Publishes Redis did not take").register(registry));
        }
        for (Undelivered u : Undelivered.values()) {
            undelivered.put(u, Counter.builder("backplane.messages.undelivered").tag("hub", hub).tag("reason", tag(u))
                    .description("Messages that reached no client, by reason").register(registry));
        }
        deliveryLatency = Timer.builder("backplane.delivery.latency").tag("hub", hub)
                .description("From publish by an SDK server to receipt by another SDK server")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        reconnects = Counter.builder("backplane.reconnects").tag("hub", hub)
                .description("Subscriptions Redis restored after losing them").register(registry);
        groupAck = Timer.builder("backplane.group.ack.duration").tag("hub", hub)
                .description("Remote group add/remove until its server acknowledged").publishPercentileHistogram()
                .register(registry);
        groupAckTimeouts = Counter.builder("backplane.group.ack.timeouts").tag("hub", hub)
                .description("Remote group add/remove no server acknowledged").register(registry);
        clientResults = Map.of(
                "success", clientResult(registry, hub, "success"),
                "error", clientResult(registry, hub, "error"),
                "timeout", clientResult(registry, hub, "timeout"));
        slowConsumersClosed = Counter.builder("backplane.connections.closed").tag("hub", hub)
                .tag("reason", "slow_consumer")
                .description("Connections the backplane closed, by reason").register(registry);
        Gauge.builder("backplane.connections.active", connections).tag("hub", hub)
                .description("Client connections registered on this server").strongReference(true).register(registry);
        Gauge.builder("backplane.collaborators.active", collaborators).tag("hub", hub)
                .description("Connections on this server present in at least one group").strongReference(true)
                .register(registry);
    }

    private static Counter clientResult(MeterRegistry registry, String hub, String outcome) {
        return Counter.builder("backplane.client.results").tag("hub", hub).tag("outcome", outcome)
                .description("Client-result invocations started here, by outcome").register(registry);
    }

    private static String tag(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    void sent(Kind k) {
        sent.get(k).increment();
    }

    void received(Kind k) {
        received.get(k).increment();
    }

    void publishFailed(Kind k) {
        publishErrors.get(k).increment();
        undelivered.get(Undelivered.PUBLISH_FAILED).increment();
    }

    void undelivered(Undelivered reason) {
        undelivered.get(reason).increment();
    }

    void latencyMicros(long micros) {
        if (micros >= 0) {
            deliveryLatency.record(Duration.ofNanos(micros * 1000));
        }
    }

    void slowConsumerClosed() {
        slowConsumersClosed.increment();
    }

    void reconnected() {
        reconnects.increment();
    }

    Timer groupAck() {
        return groupAck;
    }

    void groupAckTimedOut() {
        groupAckTimeouts.increment();
    }

    void clientResult(String outcome) {
        clientResults.get(outcome).increment();
    }
}
