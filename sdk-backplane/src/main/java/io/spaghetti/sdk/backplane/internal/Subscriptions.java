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
 * Members are kept as objects so a message reaches them without another lookup.
 */
final class Subscriptions<M> {
    private final RedissonClient client;
    private final Function<String, String> channelOfKey;
    private final Function<String, MessageListener<byte[]>> listenerOfKey;
    private final Map<String, Subscription<M>> byKey = new ConcurrentHashMap<>();

    private static final class Subscription<M> {
        final Set<M> members = ConcurrentHashMap.newKeySet();
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
    CompletableFuture<Void> add(String key, M member) {
        Subscription<M> s = byKey.compute(key, (k, current) -> {
            Subscription<M> sub = current != null ? current
                    : new Subscription<>(client.getTopic(channelOfKey.apply(k), ByteArrayCodec.INSTANCE),
                            listenerOfKey.apply(k));
            sub.members.add(member);
            return sub;
        });
        return s.listenerId.thenApply(id -> null);
    }

    void remove(String key, M member) {
        byKey.computeIfPresent(key, (k, current) -> {
            current.members.remove(member);
            if (current.members.isEmpty()) {
                current.unsubscribe();
                return null;
            }
            return current;
        });
    }

    Set<M> members(String key) {
        Subscription<M> s = byKey.get(key);
        return s == null ? Set.of() : s.members;
    }

    void clear() {
        byKey.values().forEach(Subscription::unsubscribe);
        byKey.clear();
    }
}
