package io.spaghetti.sdk.backplane.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.redisson.api.RTopic;
import org.redisson.api.listener.MessageListener;

/**
 * Channel subscriptions shared by the local members of a key (a group, a user, a connection): the
 * channel is subscribed with the first member and unsubscribed after the last, as SignalR does.
 * Members are kept as objects so a message reaches them without another lookup, and read as an array snapshot
 * rebuilt after a change: a fan-out walks one array instead of a hash table's nodes (a profile of the group fan-out
 * showed the per-member memory loads). Without a channel (streams delivery) it only keeps the members.
 */
final class Subscriptions<M> {
    private static final CompletableFuture<Integer> NO_LISTENER = CompletableFuture.completedFuture(0);
    /** The key's subscribed channel, or null when messages come another way. */
    private final Function<String, RTopic> topicOfKey;
    private final Function<String, MessageListener<byte[]>> listenerOfKey;
    private final Map<String, Subscription<M>> byKey = new ConcurrentHashMap<>();

    private static final class Subscription<M> {
        final Set<M> members = ConcurrentHashMap.newKeySet();
        /** Bumped after every change of {@link #members}; a snapshot of an older version is rebuilt. */
        private final AtomicLong version = new AtomicLong();
        private volatile Snapshot<M> snapshot;
        final RTopic topic;
        final CompletableFuture<Integer> listenerId;

        Subscription(RTopic topic, MessageListener<byte[]> listener) {
            this.topic = topic;
            this.listenerId = topic == null ? NO_LISTENER
                    : topic.addListenerAsync(byte[].class, listener).toCompletableFuture();
        }

        /** After every change of {@link #members}. */
        void changed() {
            version.incrementAndGet();
        }

        Snapshot<M> snapshot() {
            long current = version.get();
            Snapshot<M> s = snapshot;
            if (s == null || s.version != current) {
                // a change after reading the version leaves an older version here, so the next read rebuilds
                s = new Snapshot<>(current, List.copyOf(members));
                snapshot = s;
            }
            return s;
        }

        void unsubscribe() {
            if (topic != null) {
                listenerId.thenAccept(topic::removeListenerAsync);
            }
        }
    }

    private static final class Snapshot<M> {
        final long version;
        final List<M> members;
        /** What {@link #plan} derived from {@link #members}, built on first use. */
        volatile Object plan;

        Snapshot(long version, List<M> members) {
            this.version = version;
            this.members = members;
        }
    }

    Subscriptions(Function<String, RTopic> topicOfKey, Function<String, MessageListener<byte[]>> listenerOfKey) {
        this.topicOfKey = topicOfKey;
        this.listenerOfKey = listenerOfKey;
    }

    /** Members only: their messages are looked up by {@link #members}. */
    static <M> Subscriptions<M> membersOnly() {
        return new Subscriptions<>(key -> null, key -> null);
    }

    /** Adds a member; completes when the key's channel is subscribed. */
    CompletableFuture<Void> add(String key, M member) {
        Subscription<M> s = byKey.compute(key, (k, current) -> {
            Subscription<M> sub = current != null ? current
                    : new Subscription<>(topicOfKey.apply(k), listenerOfKey.apply(k));
            sub.members.add(member);
            sub.changed();
            return sub;
        });
        return s.listenerId.thenApply(id -> null);
    }

    void remove(String key, M member) {
        byKey.computeIfPresent(key, (k, current) -> {
            current.members.remove(member);
            current.changed();
            if (current.members.isEmpty()) {
                current.unsubscribe();
                return null;
            }
            return current;
        });
    }

    /** The key's members when last changed: a member added or removed during a fan-out is in the next one. */
    List<M> members(String key) {
        Subscription<M> s = byKey.get(key);
        return s == null ? List.of() : s.snapshot().members;
    }

    /**
     * {@code planOf} the key's members (as {@link #members} returns them), built once per change of the members:
     * a fan-out's layout of its recipients. {@code none} when the key has no members. One {@code planOf} per
     * instance: the plan is kept untyped.
     */
    @SuppressWarnings("unchecked")
    <P> P plan(String key, Function<List<M>, P> planOf, P none) {
        Subscription<M> sub = byKey.get(key);
        if (sub == null) {
            return none;
        }
        Snapshot<M> s = sub.snapshot();
        Object plan = s.plan;
        if (plan == null) {
            plan = planOf.apply(s.members);
            s.plan = plan;
        }
        return (P) plan;
    }

    void clear() {
        byKey.values().forEach(Subscription::unsubscribe);
        byKey.clear();
    }
}
