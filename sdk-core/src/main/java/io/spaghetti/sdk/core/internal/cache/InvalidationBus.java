package io.spaghetti.sdk.core.internal.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-instance invalidations over one Redis pub/sub channel per namespace, each also kept in the
 * {@link InvalidationLog} and numbered by its sender. Pub/sub can lose messages when the subscription drops
 * (restart, failover), and Redisson re-subscribes some time after the connection is back. So after any outage the
 * bus is "unverified" until a ping it publishes to itself comes back over the channel; then, as on a re-subscribe
 * or a hole in a sender's numbers, {@code onPossibleGap} runs: the caller reads what it missed from the log (and
 * clears every L1 only when the log cannot say).
 */
final class InvalidationBus {
    private static final Logger log = LoggerFactory.getLogger(InvalidationBus.class);
    private static final ObjectMapper JSON = SdkJson.mapper();

    /**
     * o: sending instance, c: cache, k: key, or null for the whole cache; p: a self-ping's nonce instead; h: the
     * sender's trace headers (absent when it traces nothing); q: the sender's number for it (1, 2, ...).
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Message(String o, String c, String k, String p, Map<String, String> h, Long q) {
    }

    private final String channel;
    private final String instanceId = UUID.randomUUID().toString();
    private final Consumer<Message> onInvalidate;
    private final Consumer<String> onPossibleGap;
    private final AtomicLong sent = new AtomicLong();
    /** The numbers seen from each other instance. */
    private final Map<String, Numbers> numbers = new ConcurrentHashMap<>();
    /** Runs the second look at a hole, after {@link #REORDER_GRACE}. */
    private final Executor later;
    /** The log position up to which every invalidation has been applied here; null until subscribed. */
    private final AtomicReference<InvalidationLog.Position> applied = new AtomicReference<>();
    private final AtomicLong suspicions = new AtomicLong();
    private volatile boolean suspect;
    private final AtomicBoolean subscribedOnce = new AtomicBoolean();
    private volatile RTopic topic;
    private volatile boolean verified;
    private volatile String pendingPing;

    /** How long a hole in a sender's numbers may wait for the missing ones (concurrent sends arrive out of order). */
    static final Duration REORDER_GRACE = Duration.ofSeconds(2);

    InvalidationBus(String channel, Consumer<Message> onInvalidate, Consumer<String> onPossibleGap,
            Executor executor) {
        this.later = CompletableFuture.delayedExecutor(REORDER_GRACE.toMillis(), TimeUnit.MILLISECONDS, executor);
        this.channel = channel;
        this.onInvalidate = onInvalidate;
        this.onPossibleGap = onPossibleGap;
    }

    /** Subscribes; {@code logEnd} is where the log ends now: what comes after it is what this instance must see. */
    void subscribe(RedissonClient client, InvalidationLog.Position logEnd) {
        applied.compareAndSet(null, logEnd);
        RTopic t = client.getTopic(channel, StringCodec.INSTANCE);
        t.addListener(new StatusListener() {
            @Override
            public void onSubscribe(String ch) {
                if (subscribedOnce.getAndSet(true)) {
                    suspectGap();
                    log.info("Cache invalidation channel re-subscribed; reading what was missed from the log");
                    onPossibleGap.accept("the invalidation channel re-subscribed");
                }
            }

            @Override
            public void onUnsubscribe(String ch) {
                markUnverified();
                log.warn("Cache invalidation channel lost its subscription; what is missed meanwhile is read from the "
                        + "invalidation log when it returns");
            }
        });
        t.addListener(String.class, (ch, text) -> receive(text));
        subscribedOnce.set(true);
        topic = t;
        verified = true;
    }

    /** After an outage: invalidations may be lost until a self-ping proves the subscription works. */
    void markUnverified() {
        verified = false;
        pendingPing = null;
        suspectGap();
    }

    boolean verified() {
        return verified;
    }

    /** A self-ping to publish when the bus is unverified and no ping is pending, else null. */
    synchronized String nextPing() {
        if (verified || topic == null || pendingPing != null) {
            return null;
        }
        pendingPing = UUID.randomUUID().toString();
        return write(new Message(instanceId, null, null, pendingPing, null, null));
    }

    /** The ping was not handed to Redis: allow another. */
    void pingFailed() {
        pendingPing = null;
    }

    /** The message that tells the other instances to drop {@code key} (null: the whole cache). */
    String encode(String cache, String key, Map<String, String> traceHeaders) {
        return write(new Message(instanceId, cache, key, null, traceHeaders, sent.incrementAndGet()));
    }

    /** Where this instance's L1 is known to be up to date in the log; null before the first subscription. */
    InvalidationLog.Position applied() {
        return applied.get();
    }

    /** Moves the applied position forward (never back). */
    void advance(InvalidationLog.Position to) {
        applied.accumulateAndGet(to, (a, b) -> a == null || b.compareTo(a) > 0 ? b : a);
    }

    /** Applies an entry read back from the log (idempotent: a message seen twice invalidates twice). */
    void replay(InvalidationLog.Entry e) {
        apply(e.message(), e.position(), false);
    }

    private static String write(Message m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    RTopic topic() {
        return topic;
    }

    /** {@code "<log id> <json>"} from the log's script, or a bare {@code <json>} self-ping. */
    private void receive(String text) {
        int space = text.indexOf(' ');
        if (space > 0 && text.charAt(0) != '{') {
            InvalidationLog.Position at;
            try {
                at = InvalidationLog.Position.parse(text.substring(0, space));
            } catch (RuntimeException e) {
                log.warn("Ignoring a cache invalidation message with a malformed log id on {}", channel);
                return;
            }
            apply(text.substring(space + 1), at, true);
        } else {
            apply(text, null, true);
        }
    }

    private void apply(String json, InvalidationLog.Position at, boolean live) {
        Message m;
        try {
            m = JSON.readValue(json, Message.class);
        } catch (IOException e) {
            log.warn("Ignoring a malformed cache invalidation message on {}", channel);
            return;
        }
        if (m.p() != null) {
            if (instanceId.equals(m.o()) && m.p().equals(pendingPing)) {
                pendingPing = null;
                verified = true;
                log.info("Cache invalidation channel verified after an outage; reading what was missed from the log");
                onPossibleGap.accept("the invalidation channel is verified after an outage");
            }
            return;
        }
        if (!instanceId.equals(m.o())) {
            Numbers n = m.q() == null || !live ? null : numbers.computeIfAbsent(m.o(), o -> new Numbers());
            boolean hole = n != null && n.saw(m.q());
            onInvalidate.accept(m);
            if (hole) {
                // Numbers also arrive out of order (concurrent sends): look again before reading the log.
                long suspicion = suspectGap();
                later.execute(() -> {
                    if (n.missing()) {
                        onPossibleGap.accept("instance " + m.o() + " skipped invalidation numbers");
                    } else {
                        settle(suspicion);
                    }
                });
            }
        }
        // While a gap is suspected the applied position stays before it, so the log is read from there.
        if (at != null && (!live || !suspect)) {
            advance(at);
        }
    }

    /** The numbers seen from one other instance since the first: a hole is one that never came. */
    private static final class Numbers {
        private long first = -1;
        private long max;
        private long count;

        /** Records {@code q}; true when it leaves a hole below it. */
        synchronized boolean saw(long q) {
            if (first < 0) {
                first = q;
                max = q;
                count = 1;
                return false;
            }
            if (q < first) {
                return false;
            }
            boolean hole = q > max + 1;
            max = Math.max(max, q);
            count++;
            return hole;
        }

        /** Whether numbers are still missing; if so the count restarts here, as the log covers what is missing. */
        synchronized boolean missing() {
            boolean missing = max - first + 1 > count;
            if (missing) {
                first = max;
                count = 1;
            }
            return missing;
        }
    }

    /** Live messages no longer move the applied position until {@link #recovered} says the log was read. */
    private long suspectGap() {
        suspect = true;
        return suspicions.incrementAndGet();
    }

    /** A suspected hole filled itself: unless something else is suspected since, positions move again. */
    private void settle(long suspicion) {
        if (suspicions.get() == suspicion) {
            suspect = false;
        }
    }

    /** How many gaps have been suspected so far: a recovery started at this count covers them. */
    long suspicions() {
        return suspicions.get();
    }

    /** The log was read up to {@code last}; the suspicions counted before the read are settled. */
    void recovered(InvalidationLog.Position last, long suspicionsAtStart) {
        advance(last);
        if (suspicions.get() == suspicionsAtStart) {
            suspect = false;
        }
    }

    void close() {
        RTopic t = topic;
        topic = null;
        if (t != null) {
            try {
                t.removeAllListeners();
            } catch (RuntimeException e) {
                log.debug("Could not unsubscribe from {}: {}", channel, e.toString());
            }
        }
    }
}
