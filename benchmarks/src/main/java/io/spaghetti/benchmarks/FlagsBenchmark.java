package io.spaghetti.benchmarks;

import io.getunleash.DefaultUnleash;
import io.getunleash.UnleashContext;
import io.getunleash.util.UnleashConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.flags.FlagContext;
import io.spaghetti.sdk.flags.Flags;
import io.spaghetti.sdk.flags.FlagsModule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * SDK {@code isEnabled} and {@code evaluate} against the bare Unleash client's {@code isEnabled} and
 * {@code getVariant} on the same flags (the platform definitions as bootstrap, no server, no metrics posting) for
 * the same 1,024 repeated contexts, in one run; {@code sdkEngine*} is the SDK with answer reuse off.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FlagsBenchmark {
    private static final int USERS = 1024;
    private static final String FLAG = "advanced_search";
    private final FlagContext[] sdkContexts = new FlagContext[USERS];
    private final UnleashContext[] bareContexts = new UnleashContext[USERS];
    private Sdk sdk;
    private Flags flags;
    private Sdk engineSdk;
    private Flags engineFlags;
    private DefaultUnleash bare;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        SdkConfig config = SdkConfig.loader().yaml("bench", "redis:\n  enabled: false\nservice:\n  name: flags-bench\n")
                .environment(Map.of()).systemProperties(new Properties()).load();
        sdk = Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new FlagsModule())).build();
        flags = sdk.module(FlagsModule.class).flags();
        SdkConfig engineOnly = SdkConfig.loader().yaml("bench", "redis:\n  enabled: false\nservice:\n  name: flags-bench\n"
                        + "flags:\n  answerCacheSize: 0\n")
                .environment(Map.of()).systemProperties(new Properties()).load();
        engineSdk = Sdk.builder().config(engineOnly).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new FlagsModule())).build();
        engineFlags = engineSdk.module(FlagsModule.class).flags();
        String bootstrap = FlagsModule.clientFeaturesJson("classpath:flags/platform-flags.json", "development");
        bare = new DefaultUnleash(UnleashConfig.builder().appName("flags-bench-bare")
                .unleashAPI("http://127.0.0.1:9/api").disablePolling().disableMetrics()
                .toggleBootstrapProvider(() -> Optional.of(bootstrap)).build());
        for (int u = 0; u < USERS; u++) {
            sdkContexts[u] = FlagContext.user("user-" + u).group("power_users").build();
            bareContexts[u] = UnleashContext.builder().userId("user-" + u).addProperty("groups", ",power_users,")
                    .build();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bare.shutdown();
        sdk.close();
        engineSdk.close();
    }

    @Benchmark
    public boolean bareUnleashIsEnabled() {
        return bare.isEnabled(FLAG, bareContexts[i++ & (USERS - 1)]);
    }

    @Benchmark
    public boolean sdkIsEnabled() {
        return flags.isEnabled(FLAG, sdkContexts[i++ & (USERS - 1)]);
    }

    @Benchmark
    public Object bareUnleashGetVariant() {
        return bare.getVariant(FLAG, bareContexts[i++ & (USERS - 1)]);
    }

    @Benchmark
    public Object sdkEvaluate() {
        return flags.evaluate(FLAG, sdkContexts[i++ & (USERS - 1)]);
    }

    @Benchmark
    public boolean sdkEngineIsEnabled() {
        return engineFlags.isEnabled(FLAG, sdkContexts[i++ & (USERS - 1)]);
    }

    @Benchmark
    public Object sdkEngineEvaluate() {
        return engineFlags.evaluate(FLAG, sdkContexts[i++ & (USERS - 1)]);
    }
}
