package io.spaghetti.sdk.backplane.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.MessageListener;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * Channel subscriptions shared by the local members of a key (a group, a user, a connection): the
 * channel is subscribed with the first member and unsubscribed after the last, as SignalR does.
 */
final class Subscriptions {
    private final RedissonClient client;
    private final Function<String, String> channelOfKey;
    private final Function<String, MessageListener<byte[]>> listenerOfKey;
    private final Map<String, Subscription> byKey = new ConcurrentHashMap<>();

    private static final class Subscription {
        final Set<String> members = ConcurrentHashMap.newKeySet();
        final RTopic topic;
        final CompletableFuture<Integer> listenerId;

        Subscription(RTopic topic, MessageListener<byte[]> listener) {
            this.topic = topic;
            this.listenerId = topic.addListenerAsync(byte[].class, listener).toCompletableFuture();
        }

        void unsubscribe() {
            listenerId.thenAccept(topic::removeListenerAsync);
        }
    }

    Subscriptions(RedissonClient client, Function<String, String> channelOfKey,
            Function<String, MessageListener<byte[]>> listenerOfKey) {
        this.client = client;
        this.channelOfKey = channelOfKey;
        this.listenerOfKey = listenerOfKey;
    }

    /** Adds a member; completes when the key's channel is subscribed. */
    CompletableFuture<Void> add(String key, String member) {
        Subscription s = byKey.compute(key, (k, current) -> {
            Subscription sub = current != null ? current
                    : new Subscription(client.getTopic(channelOfKey.apply(k), ByteArrayCodec.INSTANCE),
                            listenerOfKey.apply(k));
            sub.members.add(member);
            return sub;
        });
        return s.listenerId.thenApply(id -> null);
    }

    void remove(String key, String member) {
        byKey.computeIfPresent(key, (k, current) -> {
            current.members.remove(member);
            if (current.members.isEmpty()) {
                current.unsubscribe();
                return null;
            }
            return current;
        });
    }

    Set<String> members(String key) {
        Subscription s = byKey.get(key);
        return s == null ? Set.of() : s.members;
    }

    void clear() {
        byKey.values().forEach(Subscription::unsubscribe);
        byKey.clear();
    }
}
