package io.spaghetti.sdk.backplane.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The meters of a hub's streams (delivery {@code streams} and {@code both}). */
final class StreamMetrics {
    private final Timer lag;
    private final Counter redelivered;
    private final Counter duplicates;
    private final Counter gaps;
    private final Counter resumes;
    private final Counter malformed;

    StreamMetrics(MeterRegistry registry, String hub) {
        lag = Timer.builder("backplane.stream.lag").tag("hub", hub)
                .description("From a message's addition to the stream until this server read it (as far as the "
                        + "Redis and server clocks agree)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
        redelivered = Counter.builder("backplane.stream.redelivered").tag("hub", hub)
                .description("Messages read after this server lost Redis that were sent meanwhile: pub/sub loses these")
                .register(registry);
        duplicates = Counter.builder("backplane.stream.duplicates").tag("hub", hub)
                .description("Messages read twice (same message id) and dropped").register(registry);
        gaps = Counter.builder("backplane.stream.gaps").tag("hub", hub)
                .description("Reconnects after which the stream no longer held every message this server had not read")
                .register(registry);
        resumes = Counter.builder("backplane.stream.resumes").tag("hub", hub)
                .description("Times this server read a stream again after losing Redis").register(registry);
        malformed = Counter.builder("backplane.stream.malformed").tag("hub", hub)
                .description("Stream entries that are not backplane messages").register(registry);
    }

    void lagMillis(long millis) {
        lag.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void redelivered() {
        redelivered.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void gap() {
        gaps.increment();
    }

    void resumed() {
        resumes.increment();
    }

    void malformed() {
        malformed.increment();
    }
}
