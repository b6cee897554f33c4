package io.spaghetti.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.cache.CacheSpec;
import io.spaghetti.sdk.core.cache.TieredCache;
import io.spaghetti.sdk.core.cache.ValueCodec;
import io.spaghetti.sdk.core.redis.RedisModule;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.redisson.api.RBucket;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * SDK cache hits against the bare libraries doing the same work, in one run:
 * L1 hit vs Caffeine getIfPresent; L2 hit vs Redisson RBucket.get + the same JSON codec.
 * Needs Redis from the SDK config (scripts/bench.sh sets it from the local stack).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CacheBenchmark {
    public record Doc(String id, String title, int version) {
    }

    private static final int KEYS = 1024;
    private final String[] keys = new String[KEYS];
    private Sdk sdk;
    private Cache<String, Doc> caffeine;
    private TieredCache<Doc> l1Cache;
    private TieredCache<Doc> l2Cache;
    private RBucket<byte[]>[] buckets;
    private final ValueCodec<Doc> codec = ValueCodec.json(Doc.class);
    private int i;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        sdk = Sdk.bootstrap();
        caffeine = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(60)).build();
        l1Cache = sdk.cache().cache("bench-l1", Doc.class);
        CacheSpec l2Only = sdk.cache().specFor("bench-l2").toBuilder().l1Ttl(Duration.ofNanos(1)).build();
        l2Cache = sdk.cache().cache("bench-l2", codec, l2Only);
        buckets = new RBucket[KEYS];
        var redis = sdk.module(RedisModule.class).client();
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "key-" + k;
            Doc d = new Doc(keys[k], "A document title " + k, k);
            caffeine.put(keys[k], d);
            l1Cache.put(keys[k], d);
            l2Cache.put(keys[k], d);
            buckets[k] = redis.getBucket("spaghetti:bench:raw:" + keys[k], ByteArrayCodec.INSTANCE);
            buckets[k].set(codec.encode(d));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sdk.close();
    }

    @Benchmark
    public Doc bareCaffeineGetIfPresent() {
        return caffeine.getIfPresent(keys[i++ & (KEYS - 1)]);
    }

    @Benchmark
    public Doc sdkL1Hit() {
        return l1Cache.get(keys[i++ & (KEYS - 1)], k -> null);
    }

    @Benchmark
    public Doc bareRedissonBucketGet() {
        return codec.decode(buckets[i++ & (KEYS - 1)].get());
    }

    @Benchmark
    public Doc sdkL2Hit() {
        return l2Cache.get(keys[i++ & (KEYS - 1)], k -> null);
    }
}
