package io.spaghetti.sdk.core.internal.cache;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Invalidations Redis did not take, kept in order until it is back, so other instances still learn of writes
 * made during an outage (with the L2 entry replaced by a tombstone, since the write may not have reached it).
 * Once one is waiting, later ones wait behind it: a sender's invalidations arrive in the order they were made.
 * Bounded: past {@value #CAPACITY} the oldest are dropped and their caches are invalidated whole instead.
 */
final class InvalidationOutbox {
    static final int CAPACITY = 10_000;

    record Pending(TieredCacheImpl<?> cache, String key, String message) {
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Caches whose dropped invalidations become one whole-cache invalidation on replay. */
    private final Set<TieredCacheImpl<?>> overflowed = new LinkedHashSet<>();
    private long overflows;

    /** True when {@code p} must wait (something is already waiting); then it was queued. */
    synchronized boolean queueIfWaiting(Pending p) {
        if (queue.isEmpty() && overflowed.isEmpty()) {
            return false;
        }
        add(p);
        return true;
    }

    synchronized void add(Pending p) {
        if (queue.size() >= CAPACITY) {
            overflowed.add(queue.pollFirst().cache());
            overflows++;
        }
        queue.addLast(p);
    }

    /** The next to send, or null; it stays queued until {@link #sent}. */
    synchronized Pending peek() {
        return queue.peekFirst();
    }

    synchronized void sent(Pending p) {
        if (queue.peekFirst() == p) {
            queue.pollFirst();
        }
    }

    /** The caches to invalidate whole (before the rest is replayed), now forgotten. */
    synchronized Set<TieredCacheImpl<?>> takeOverflowed() {
        Set<TieredCacheImpl<?>> taken = new LinkedHashSet<>(overflowed);
        overflowed.clear();
        return taken;
    }

    /** Puts back caches whose whole-cache invalidation could not be sent. */
    synchronized void restoreOverflowed(Set<TieredCacheImpl<?>> caches) {
        overflowed.addAll(caches);
    }

    synchronized int size() {
        return queue.size() + overflowed.size();
    }

    synchronized long overflows() {
        return overflows;
    }
}
