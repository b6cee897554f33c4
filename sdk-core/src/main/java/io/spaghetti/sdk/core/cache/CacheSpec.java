package io.spaghetti.sdk.core.cache;

import java.time.Duration;

/**
 * How one named cache behaves; in config under {@code cache.caches.<name>} (only what differs
 * from {@code cache.defaults}).
 *
 * @param l1MaxSize       entries kept in this instance's memory
 * @param l1Ttl           bound on how stale an L1 entry can be when an invalidation was missed
 * @param l2Ttl           time to live in Redis
 * @param l2TtlJitter     fraction (0 to 0.5) by which each L2 TTL is spread, so keys written together do not expire together
 * @param cacheNulls      whether a loader's null is cached (negative caching)
 * @param nullTtl         time to live of a cached null, in L1 and L2
 * @param maxValueBytes   encoded values larger than this stay out of L2
 * @param schemaVersion   part of every L2 key: raise it when the value's format changes
 * @param clusterWideLoad one loader call per key across all instances (a Redis lease), not just per instance
 * @param leaseTime       how long a lease holder may load before others stop waiting for it
 * @param leaseWait       how long other instances wait for the holder before loading themselves
 * @param l2Timeout       time limit of one Redis call from the cache
 */
public record CacheSpec(long l1MaxSize, Duration l1Ttl, Duration l2Ttl, double l2TtlJitter, boolean cacheNulls,
        Duration nullTtl, int maxValueBytes, int schemaVersion, boolean clusterWideLoad, Duration leaseTime,
        Duration leaseWait, Duration l2Timeout) {

    public CacheSpec {
        if (l1MaxSize < 1) {
            throw new IllegalArgumentException("l1MaxSize must be at least 1");
        }
        if (l2TtlJitter < 0 || l2TtlJitter > 0.5) {
            throw new IllegalArgumentException("l2TtlJitter must be between 0 and 0.5");
        }
        if (maxValueBytes < 1) {
            throw new IllegalArgumentException("maxValueBytes must be at least 1");
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be at least 1");
        }
        for (Duration d : new Duration[] {l1Ttl, l2Ttl, nullTtl, leaseTime, leaseWait, l2Timeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive");
            }
        }
    }

    /** This spec with entries kept at most {@code ttl} in Redis and in memory (a shorter L1 TTL stays). */
    public CacheSpec withTtl(Duration ttl) {
        return toBuilder().l2Ttl(ttl).l1Ttl(ttl.compareTo(l1Ttl) < 0 ? ttl : l1Ttl).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copies a spec and changes selected values. */
    public static final class Builder {
        private long l1MaxSize;
        private Duration l1Ttl;
        private Duration l2Ttl;
        private double l2TtlJitter;
        private boolean cacheNulls;
        private Duration nullTtl;
        private int maxValueBytes;
        private int schemaVersion;
        private boolean clusterWideLoad;
        private Duration leaseTime;
        private Duration leaseWait;
        private Duration l2Timeout;

        private Builder(CacheSpec s) {
            l1MaxSize = s.l1MaxSize;
            l1Ttl = s.l1Ttl;
            l2Ttl = s.l2Ttl;
            l2TtlJitter = s.l2TtlJitter;
            cacheNulls = s.cacheNulls;
            nullTtl = s.nullTtl;
            maxValueBytes = s.maxValueBytes;
            schemaVersion = s.schemaVersion;
            clusterWideLoad = s.clusterWideLoad;
            leaseTime = s.leaseTime;
            leaseWait = s.leaseWait;
            l2Timeout = s.l2Timeout;
        }

        public Builder l1MaxSize(long v) { l1MaxSize = v; return this; }
        public Builder l1Ttl(Duration v) { l1Ttl = v; return this; }
        public Builder l2Ttl(Duration v) { l2Ttl = v; return this; }
        public Builder l2TtlJitter(double v) { l2TtlJitter = v; return this; }
        public Builder cacheNulls(boolean v) { cacheNulls = v; return this; }
        public Builder nullTtl(Duration v) { nullTtl = v; return this; }
        public Builder maxValueBytes(int v) { maxValueBytes = v; return this; }
        public Builder schemaVersion(int v) { schemaVersion = v; return this; }
        public Builder clusterWideLoad(boolean v) { clusterWideLoad = v; return this; }
        public Builder leaseTime(Duration v) { leaseTime = v; return this; }
        public Builder leaseWait(Duration v) { leaseWait = v; return this; }
        public Builder l2Timeout(Duration v) { l2Timeout = v; return this; }

        public CacheSpec build() {
            return new CacheSpec(l1MaxSize, l1Ttl, l2Ttl, l2TtlJitter, cacheNulls, nullTtl, maxValueBytes,
                    schemaVersion, clusterWideLoad, leaseTime, leaseWait, l2Timeout);
        }
    }
}
