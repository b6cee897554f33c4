package io.spaghetti.sdk.flags.internal;

import io.getunleash.UnleashException;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.event.UnleashSubscriber;
import java.time.Duration;
import io.spaghetti.sdk.flags.FlagsListener;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the server last answered, what the client evaluates from, and one log line (and one listener call) per
 * outage and per recovery instead of one per poll.
 */
public final class FetchStatus implements UnleashSubscriber {
    private static final Logger log = LoggerFactory.getLogger(FetchStatus.class);

    private final String server;
    private final AtomicBoolean inOutage = new AtomicBoolean();
    private final LongAdder errors = new LongAdder();
    private volatile long lastGoodNanos = -1;
    private final List<FlagsListener> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<String> onNewState;
    private final java.util.concurrent.atomic.AtomicReference<String> pendingState =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile String source;
    private volatile String refusedReason;

    /**
     * @param initialSource what the client starts from: {@code backup file} or {@code bootstrap}
     * @param onNewState    takes each new client-features JSON fetched from the server
     */
    public FetchStatus(String server, String initialSource, Consumer<String> onNewState) {
        this.server = server;
        this.source = initialSource;
        this.onNewState = onNewState;
    }

    /** Adds a listener and tells it the current state: an outage or a refusal under way. */
    void addListener(FlagsListener listener) {
        listeners.add(listener);
        String refusal = refusedReason;
        if (refusal != null) {
            listener.serverRefused(refusal);
        } else if (inOutage.get()) {
            listener.serverUnreachable(source);
        }
    }

    /** Tells the listeners which flags a new state changed, if any. */
    void flagsChanged(Set<String> changed) {
        if (!changed.isEmpty()) {
            listeners.forEach(l -> l.flagsChanged(changed));
        }
    }

    void success() {
        refusedReason = null;
        boolean first = lastGoodNanos < 0;
        lastGoodNanos = System.nanoTime();
        source = "server";
        if (inOutage.compareAndSet(true, false)) {
            log.info("Unleash at {} is reachable again; flags are current", server);
            listeners.forEach(FlagsListener::serverReachable);
        } else if (first) {
            listeners.forEach(FlagsListener::serverReachable);
        }
    }

    /** Once until the server answers again: it refused the token. */
    void refused(int httpStatus) {
        if (refusedReason == null) {
            String reason = "Unleash at " + server + " refused the API token (HTTP " + httpStatus
                    + "): check flags.apiToken";
            refusedReason = reason;
            listeners.forEach(l -> l.serverRefused(reason));
        }
    }

    void failure(String what) {
        errors.increment();
        if (inOutage.compareAndSet(false, true)) {
            log.warn("Unleash at {} is unreachable ({}); evaluating from the last known flags ({}) until it returns",
                    server, what, source);
            String from = source;
            listeners.forEach(l -> l.serverUnreachable(from));
        }
    }

    @Override
    public void togglesFetched(ClientFeaturesResponse response) {
        if (response.getStatus() == ClientFeaturesResponse.Status.CHANGED) {
            response.getClientFeatures().ifPresent(pendingState::set);
        } else {
            applyPendingState();
        }
        if (response.getStatus() != ClientFeaturesResponse.Status.UNAVAILABLE) {
            success();
        }
    }

    /** The client writes the backup after its engine took the new state: from now on the engine answers from it. */
    @Override
    public void featuresBackedUp(io.getunleash.event.FeatureSet features) {
        applyPendingState();
    }

    @Override
    public void onError(UnleashException error) {
        // Fetch errors are reported by GuardedFetcher; this may be a failed backup write, also after the new state.
        applyPendingState();
    }

    /**
     * The client announces a fetched state before its engine takes it; answers must not be reused for the new
     * state until the engine has it, so the state is handed on after the backup write that follows.
     */
    private void applyPendingState() {
        String json = pendingState.getAndSet(null);
        if (json != null) {
            onNewState.accept(json);
        }
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
