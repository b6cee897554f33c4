package io.spaghetti.sdk.core.internal.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-instance invalidations over one Redis pub/sub channel per namespace. Pub/sub can lose
 * messages when the subscription drops (restart, failover): every re-subscription is reported
 * through {@code onResubscribed} so the caches can clear their L1.
 */
final class InvalidationBus {
    private static final Logger log = LoggerFactory.getLogger(InvalidationBus.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** o: sending instance, c: cache, k: key, or null for the whole cache. */
    record Message(String o, String c, String k) {
    }

    private final String channel;
    private final String instanceId = UUID.randomUUID().toString();
    private final BiConsumer<String, String> onInvalidate;
    private final Runnable onResubscribed;
    private final AtomicBoolean subscribedOnce = new AtomicBoolean();
    private volatile RTopic topic;

    InvalidationBus(String channel, BiConsumer<String, String> onInvalidate, Runnable onResubscribed) {
        this.channel = channel;
        this.onInvalidate = onInvalidate;
        this.onResubscribed = onResubscribed;
    }

    void subscribe(RedissonClient client) {
        RTopic t = client.getTopic(channel, StringCodec.INSTANCE);
        t.addListener(new StatusListener() {
            @Override
            public void onSubscribe(String ch) {
                if (subscribedOnce.getAndSet(true)) {
                    log.info("Cache invalidation channel re-subscribed; clearing L1 (messages may have been missed)");
                    onResubscribed.run();
                }
            }

            @Override
            public void onUnsubscribe(String ch) {
                log.warn("Cache invalidation channel lost its subscription; L1 will be cleared when it returns");
            }
        });
        t.addListener(String.class, (ch, text) -> receive(text));
        subscribedOnce.set(true);
        topic = t;
    }

    /** The message that tells the other instances to drop {@code key} (null: the whole cache). */
    String encode(String cache, String key) {
        try {
            return JSON.writeValueAsString(new Message(instanceId, cache, key));
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
        if (!instanceId.equals(m.o())) {
            onInvalidate.accept(m.c(), m.k());
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
