package io.spaghetti.sdk.core.internal.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-instance invalidations over one Redis pub/sub channel per namespace. Pub/sub can lose
 * messages when the subscription drops (restart, failover), and Redisson re-subscribes some time
 * after the connection is back. So after any outage the bus is "unverified" until a ping it
 * publishes to itself comes back over the channel; then {@code onSubscriptionRestored} clears every L1,
 * since invalidations may have been missed in between.
 */
final class InvalidationBus {
    private static final Logger log = LoggerFactory.getLogger(InvalidationBus.class);
    private static final ObjectMapper JSON = SdkJson.mapper();

    /**
     * o: sending instance, c: cache, k: key, or null for the whole cache; p: a self-ping's nonce instead; h: the
     * sender's trace headers (absent when it traces nothing).
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Message(String o, String c, String k, String p, Map<String, String> h) {
    }

    private final String channel;
    private final String instanceId = UUID.randomUUID().toString();
    private final Consumer<Message> onInvalidate;
    private final Runnable onSubscriptionRestored;
    private final AtomicBoolean subscribedOnce = new AtomicBoolean();
    private volatile RTopic topic;
    private volatile boolean verified;
    private volatile String pendingPing;

    InvalidationBus(String channel, Consumer<Message> onInvalidate, Runnable onSubscriptionRestored) {
        this.channel = channel;
        this.onInvalidate = onInvalidate;
        this.onSubscriptionRestored = onSubscriptionRestored;
    }

    void subscribe(RedissonClient client) {
        RTopic t = client.getTopic(channel, StringCodec.INSTANCE);
        t.addListener(new StatusListener() {
            @Override
            public void onSubscribe(String ch) {
                if (subscribedOnce.getAndSet(true)) {
                    log.info("Cache invalidation channel re-subscribed; clearing L1 (messages may have been missed)");
                    onSubscriptionRestored.run();
                }
            }

            @Override
            public void onUnsubscribe(String ch) {
                markUnverified();
                log.warn("Cache invalidation channel lost its subscription; L1 will be cleared when it returns");
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
        return write(new Message(instanceId, null, null, pendingPing, null));
    }

    /** The ping was not handed to Redis: allow another. */
    void pingFailed() {
        pendingPing = null;
    }

    /** The message that tells the other instances to drop {@code key} (null: the whole cache). */
    String encode(String cache, String key, Map<String, String> traceHeaders) {
        return write(new Message(instanceId, cache, key, null, traceHeaders));
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

    private void receive(String text) {
        Message m;
        try {
            m = JSON.readValue(text, Message.class);
        } catch (IOException e) {
            log.warn("Ignoring a malformed cache invalidation message on {}", channel);
            return;
        }
        if (m.p() != null) {
            if (instanceId.equals(m.o()) && m.p().equals(pendingPing)) {
                pendingPing = null;
                verified = true;
                log.info("Cache invalidation channel verified after an outage; clearing L1");
                onSubscriptionRestored.run();
            }
        } else if (!instanceId.equals(m.o())) {
            onInvalidate.accept(m);
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
