package io.spaghetti.sdk.backplane.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.backplane.Presence;
import io.spaghetti.sdk.core.json.SdkJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.redisson.api.RBatch;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is active in which group: one sorted set per hub and group, members scored by the time
 * they expire. Servers renew their own members on every heartbeat, so a crashed server's
 * members drop out of {@link #list} within one ttl and out of Redis at the next renewal of that
 * group or when the key expires.
 */
final class PresenceStore {
    private static final Logger log = LoggerFactory.getLogger(PresenceStore.class);
    private static final ObjectMapper JSON = SdkJson.mapper();

    record Entry(String group, String userId, String connectionId) {
    }

    private record Member(String u, String c, String s) {
    }

    private final RedissonClient client;
    private final String keyPrefix;
    private final String serverName;
    private final Duration ttl;

    PresenceStore(RedissonClient client, String keyPrefix, String serverName, Duration ttl) {
        this.client = client;
        this.keyPrefix = keyPrefix;
        this.serverName = serverName;
        this.ttl = ttl;
    }

    /**
     * Completes when the entry is written (or its write failed, which is logged): a presence list read on any
     * server after that shows it.
     */
    CompletableFuture<Void> join(Entry e) {
        CompletableFuture<Void> written = set(e.group()).addAsync(expiry(), member(e)).toCompletableFuture()
                .handle((r, err) -> {
                    logFailure("join", err);
                    return null;
                });
        set(e.group()).expireAsync(ttl.multipliedBy(2));
        return written;
    }

    void leave(Entry e) {
        set(e.group()).removeAsync(member(e)).whenComplete((r, err) -> logFailure("leave", err));
    }

    /** Renews every entry this server holds and drops expired ones from the same groups, in one batch. */
    void renew(Collection<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        double expiry = expiry();
        double now = System.currentTimeMillis();
        RBatch batch = client.createBatch();
        entries.stream().map(Entry::group).distinct().forEach(g -> {
            var set = batch.<String>getScoredSortedSet(key(g), StringCodec.INSTANCE);
            set.removeRangeByScoreAsync(0, true, now, false);
            set.expireAsync(ttl.multipliedBy(2));
        });
        for (Entry e : entries) {
            batch.<String>getScoredSortedSet(key(e.group()), StringCodec.INSTANCE).addAsync(expiry, member(e));
        }
        batch.executeAsync().whenComplete((r, err) -> logFailure("heartbeat", err));
    }

    java.util.concurrent.CompletableFuture<List<Presence>> list(String group) {
        return set(group).entryRangeAsync(System.currentTimeMillis(), false, Double.POSITIVE_INFINITY, true)
                .toCompletableFuture().thenApply(entries -> {
                    List<Presence> out = new ArrayList<>();
                    entries.forEach(entry -> {
                        try {
                            Member m = JSON.readValue(entry.getValue(), Member.class);
                            out.add(new Presence(m.u(), m.c(), m.s(), Instant.ofEpochMilli(entry.getScore().longValue())));
                        } catch (JsonProcessingException ex) {
                            log.debug("Ignoring a presence entry that is not the SDK's in group {}", group);
                        }
                    });
                    return out;
                });
    }

    private RScoredSortedSet<String> set(String group) {
        return client.getScoredSortedSet(key(group), StringCodec.INSTANCE);
    }

    private String key(String group) {
        return keyPrefix + group;
    }

    private double expiry() {
        return System.currentTimeMillis() + ttl.toMillis();
    }

    private String member(Entry e) {
        try {
            return JSON.writeValueAsString(new Member(e.userId(), e.connectionId(), serverName));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void logFailure(String what, Throwable err) {
        if (err != null) {
            log.warn("Presence {} failed: {}", what, err.toString());
        }
    }
}
