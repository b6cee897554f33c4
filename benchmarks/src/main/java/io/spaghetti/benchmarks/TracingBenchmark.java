package io.spaghetti.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.cache.CacheModule;
import io.spaghetti.sdk.core.cache.TieredCache;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.redis.RedisModule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

/**
 * The cost of the SDK's observations on its hottest path, an L1 cache hit, in one run: with the no-op registry
 * (uninstrumented: the observation is skipped), with the SDK's own registry and no handlers (what a service without
 * tracing gets), and with tracing on (Brave through Micrometer Tracing, every hit a sampled span, reported to an
 * endpoint nobody listens on, so the reporter drops them); bare Caffeine for scale. No Redis: L1 only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TracingBenchmark {
    public record Doc(String id, String title) {
    }

    private static final int KEYS = 1024;
    private final String[] keys = new String[KEYS];
    private Sdk uninstrumented;
    private Sdk noHandlers;
    private Sdk traced;
    private Cache<String, Doc> caffeine;
    private TieredCache<Doc> uninstrumentedCache;
    private TieredCache<Doc> noHandlersCache;
    private TieredCache<Doc> tracedCache;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        uninstrumented = sdk(Map.of(), ObservationRegistry.NOOP);
        noHandlers = sdk(Map.of(), null);
        traced = sdk(Map.of("SPAGHETTI_TRACING_ZIPKIN_ENDPOINT", "http://127.0.0.1:9/api/v2/spans"), null);
        caffeine = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(60)).build();
        uninstrumentedCache = uninstrumented.cache().cache("bench", Doc.class);
        noHandlersCache = noHandlers.cache().cache("bench", Doc.class);
        tracedCache = traced.cache().cache("bench", Doc.class);
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "key-" + k;
            Doc d = new Doc(keys[k], "A document title " + k);
            caffeine.put(keys[k], d);
            uninstrumentedCache.put(keys[k], d);
            noHandlersCache.put(keys[k], d);
            tracedCache.put(keys[k], d);
        }
    }

    private static Sdk sdk(Map<String, String> extra, ObservationRegistry registry) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("SPAGHETTI_REDIS_ENABLED", "false");
        env.put("SPAGHETTI_SERVICE_NAME", "bench");
        SdkConfig config = SdkConfig.loader().environment(env).systemProperties(new Properties()).load();
        Sdk.Builder b = Sdk.builder().config(config).modules(List.of(new RedisModule(), new CacheModule()));
        if (registry != null) {
            b.observationRegistry(registry, null);
        }
        return b.build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        uninstrumented.close();
        noHandlers.close();
        traced.close();
    }

    @Benchmark
    public Doc bareCaffeineGetIfPresent() {
        return caffeine.getIfPresent(keys[i++ & (KEYS - 1)]);
    }

    @Benchmark
    public Doc l1HitUninstrumented() {
        return uninstrumentedCache.get(keys[i++ & (KEYS - 1)], k -> null);
    }

    @Benchmark
    public Doc l1HitRegistryWithoutHandlers() {
        return noHandlersCache.get(keys[i++ & (KEYS - 1)], k -> null);
    }

    @Benchmark
    public Doc l1HitTraced() {
        return tracedCache.get(keys[i++ & (KEYS - 1)], k -> null);
    }
}
