package io.spaghetti.sdk.search.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Each tenant's write generation in Redis, shared by every instance: a write raises it once acknowledged, so a page
 * cached under an older generation is never read again anywhere. Redis's own clock dates the write, so a page
 * computed before the write became searchable (refresh interval) is not kept.
 */
public final class TenantWriteClock {
    private static final String BUMP = """
            local t = redis.call('TIME')
            redis.call('HINCRBY', KEYS[1], 'gen', 1)
            redis.call('HSET', KEYS[1], 'at', t[1] * 1000 + math.floor(t[2] / 1000))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1""";
    private static final String READ = """
            local v = redis.call('HMGET', KEYS[1], 'gen', 'at')
            if not v[1] then return {0, -1} end
            local t = redis.call('TIME')
            return {tonumber(v[1]), t[1] * 1000 + math.floor(t[2] / 1000) - tonumber(v[2])}""";

    /** A tenant's generation and the time since its last write (-1: never written). */
    public record Generation(long value, long millisSinceWrite) {
    }

    private final Supplier<Optional<RedissonClient>> redis;
    private final String prefix;
    private final long keepMillis;
    private final long timeoutMillis;

    /**
     * @param keep how long a tenant's generation outlives its last write: longer than any page is kept, so a
     *             generation never restarts under a page still cached
     */
    public TenantWriteClock(Supplier<Optional<RedissonClient>> redis, String namespace, Duration keep,
            Duration timeout) {
        this.redis = redis;
        this.prefix = "spaghetti:search-writes:" + namespace + ":";
        this.keepMillis = keep.toMillis();
        this.timeoutMillis = timeout.toMillis();
    }

    /** Raises the tenant's generation. @throws RuntimeException when Redis did not confirm it in time */
    public void written(String tenant) {
        try {
            String key = key(tenant);
            script().orElseThrow(() -> new IllegalStateException("Redis is not connected"))
                    .evalAsync(key, RScript.Mode.READ_WRITE, BUMP, RScript.ReturnType.INTEGER,
                    List.of(key), Long.toString(keepMillis)).toCompletableFuture()
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording a write", e);
        } catch (Exception e) {
            throw new IllegalStateException("Redis did not record the write of tenant " + tenant, e);
        }
    }

    /**
     * The tenant's generation, read where writes go (a replica may lag behind a write); empty when Redis does not
     * answer in time (then nothing may be cached or read).
     */
    public Optional<Generation> read(String tenant) {
        Optional<RScript> script = script();
        if (script.isEmpty()) {
            return Optional.empty();
        }
        try {
            String key = key(tenant);
            List<Object> r = script.get().<List<Object>>evalAsync(key, RScript.Mode.READ_WRITE, READ,
                    RScript.ReturnType.MULTI, List.of(key)).toCompletableFuture()
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            return Optional.of(new Generation(((Number) r.get(0)).longValue(), ((Number) r.get(1)).longValue()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private Optional<RScript> script() {
        return redis.get().map(c -> c.getScript(StringCodec.INSTANCE));
    }

    private String key(String tenant) {
        // braces: one hash slot per tenant in a cluster
        return prefix + "{" + tenant + "}";
    }
}
