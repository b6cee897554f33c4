package io.spaghetti.sdk.flags.internal;

import io.getunleash.UnleashException;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.event.UnleashSubscriber;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** When the server last answered, and one log line per outage and per recovery instead of one per poll. */
public final class FetchStatus implements UnleashSubscriber {
    private static final Logger log = LoggerFactory.getLogger(FetchStatus.class);

    private final String server;
    private final AtomicBoolean inOutage = new AtomicBoolean();
    private final LongAdder errors = new LongAdder();
    private volatile long lastGoodNanos = -1;
    private volatile String source = "bootstrap";

    public FetchStatus(String server) {
        this.server = server;
    }

    void success() {
        lastGoodNanos = System.nanoTime();
        source = "server";
        if (inOutage.compareAndSet(true, false)) {
            log.info("Unleash at {} is reachable again; flags are current", server);
        }
    }

    void failure(String what) {
        errors.increment();
        if (inOutage.compareAndSet(false, true)) {
            log.warn("Unleash at {} is unreachable ({}); evaluating from the last known flags ({}) until it returns",
                    server, what, source);
        }
    }

    @Override
    public void togglesFetched(ClientFeaturesResponse response) {
        if (response.getStatus() != ClientFeaturesResponse.Status.UNAVAILABLE) {
            success();
        }
    }

    @Override
    public void featuresBackupRestored(io.getunleash.event.FeatureSet features) {
        if (lastGoodNanos < 0) {
            source = "backup file";
        }
    }

    @Override
    public void onError(UnleashException error) {
        // Fetch errors are reported by GuardedFetcher; the client also reports metric-send errors here.
    }

    public boolean inOutage() {
        return inOutage.get();
    }

    public String source() {
        return source;
    }

    public double errorCount() {
        return errors.sum();
    }

    public Optional<Duration> lastGoodFetchAge() {
        long t = lastGoodNanos;
        return t < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - t));
    }
}
