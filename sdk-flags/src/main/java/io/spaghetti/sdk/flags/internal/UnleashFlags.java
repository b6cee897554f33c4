package io.spaghetti.sdk.flags.internal;

import io.getunleash.DefaultUnleash;
import io.getunleash.FeatureDefinition;
import io.getunleash.UnleashContext;
import io.getunleash.repository.HttpFeatureFetcher;
import io.getunleash.util.UnleashConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spaghetti.sdk.flags.FlagContext;
import io.spaghetti.sdk.flags.FlagEvaluation;
import io.spaghetti.sdk.flags.FlagReason;
import io.spaghetti.sdk.flags.Flags;
import io.spaghetti.sdk.flags.FlagsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;

/** {@link Flags} on the Unleash client, bootstrapped from the platform definitions. */
public final class UnleashFlags implements Flags, AutoCloseable {
    /** The context field the definitions' group constraints match: {@code ,g1,g2,}. */
    public static final String GROUPS_FIELD = "groups";
    private static final String OTHER_FLAG = "other";

    private final DefaultUnleash unleash;
    private final FlagDefinitions definitions;
    private final FetchStatus status;
    private final FlushingScheduler scheduler;
    private final boolean serverConfigured;
    private final Map<String, LongAdder[]> evaluations = new HashMap<>();

    public UnleashFlags(FlagsConfig config, String appName, String instanceId, MeterRegistry meters,
            ThreadFactory threads) {
        this.definitions = FlagDefinitions.load(config.definitions(), config.environment());
        this.serverConfigured = config.url() != null;
        this.status = new FetchStatus(serverConfigured ? config.url() : "nowhere");
        this.scheduler = new FlushingScheduler(threads);
        Path backup = config.backupFile() != null ? config.backupFile()
                : Path.of(System.getProperty("java.io.tmpdir"), "spaghetti-flags-" + appName + ".json");
        UnleashConfig.Builder b = UnleashConfig.builder()
                .appName(appName)
                .instanceId(instanceId)
                .environment(config.environment())
                .unleashAPI(serverConfigured ? config.url() : "http://127.0.0.1:9/api")
                .fetchTogglesInterval(config.pollInterval().getSeconds())
                .sendMetricsInterval(config.metricsInterval().getSeconds())
                .backupFile(backup.toString())
                .toggleBootstrapProvider(() -> Optional.of(definitions.clientFeaturesJson()))
                .scheduledExecutor(scheduler)
                .subscriber(status)
                .unleashFeatureFetcherFactory(c -> new GuardedFetcher(new HttpFeatureFetcher(c), status))
                // Fetch once before the first evaluation; failures are recorded, never thrown.
                .synchronousFetchOnInitialisation(serverConfigured)
                .startupExceptionHandler(e -> status.failure("initial fetch failed"));
        if (config.apiToken() != null) {
            b.apiKey(config.apiToken().reveal());
        }
        if (!serverConfigured) {
            b.disablePolling().disableMetrics();
        } else if (!config.sendMetrics()) {
            b.disableMetrics();
        }
        this.unleash = new DefaultUnleash(b.build());
        for (String flag : definitions.names()) {
            register(meters, flag);
        }
        register(meters, OTHER_FLAG);
        FunctionCounter.builder("flags.fetch.errors", status, FetchStatus::errorCount)
                .description("Failed fetches from the Unleash server").register(meters);
        Gauge.builder("flags.fetch.age", status,
                        s -> s.lastGoodFetchAge().map(d -> d.toNanos() / 1e9).orElse(Double.NaN))
                .description("Seconds since the last successful fetch").baseUnit("seconds").register(meters);
    }

    private void register(MeterRegistry meters, String flag) {
        LongAdder[] counts = {new LongAdder(), new LongAdder()};
        evaluations.put(flag, counts);
        for (int v = 0; v < 2; v++) {
            FunctionCounter.builder("flags.evaluations", counts[v], LongAdder::sum).tag("flag", flag)
                    .tag("result", v == 1 ? "true" : "false").description("Flag evaluations by result")
                    .register(meters);
        }
    }

    @Override
    public boolean isEnabled(String flag, FlagContext context) {
        boolean on = unleash.isEnabled(flag, toUnleash(context));
        count(flag, on);
        return on;
    }

    @Override
    public FlagEvaluation evaluate(String flag, FlagContext context) {
        Optional<FeatureDefinition> def;
        try {
            def = unleash.more().getFeatureToggleDefinition(flag);
        } catch (RuntimeException e) {
            count(flag, false);
            return new FlagEvaluation(flag, false, "disabled", FlagReason.ERROR, "GENERAL");
        }
        if (def.isEmpty()) {
            count(flag, false);
            return new FlagEvaluation(flag, false, "disabled", FlagReason.ERROR, "FLAG_NOT_FOUND");
        }
        UnleashContext ctx = toUnleash(context);
        boolean on = unleash.isEnabled(flag, ctx);
        count(flag, on);
        FlagReason reason = !def.get().environmentEnabled() ? FlagReason.DISABLED
                : definitions.hasPercentageRollout(flag) && isTargeted(flag, context) ? FlagReason.SPLIT
                : on ? FlagReason.TARGETING_MATCH : FlagReason.DEFAULT;
        String variant = on ? unleash.getVariant(flag, ctx).getName() : "disabled";
        return new FlagEvaluation(flag, on, variant, reason, null);
    }

    /** Whether the rollout percentage decided: the context passes the flag's constraints at 100 %. */
    private boolean isTargeted(String flag, FlagContext context) {
        return context.groups().stream().anyMatch(g -> definitions.targetsGroup(flag, g));
    }

    @Override
    public Set<String> knownFlags() {
        return new HashSet<>(unleash.more().getFeatureToggleNames());
    }

    @Override
    public Optional<Duration> lastGoodFetchAge() {
        return status.lastGoodFetchAge();
    }

    public FetchStatus status() {
        return status;
    }

    public boolean serverConfigured() {
        return serverConfigured;
    }

    private void count(String flag, boolean on) {
        LongAdder[] c = evaluations.get(flag);
        (c != null ? c : evaluations.get(OTHER_FLAG))[on ? 1 : 0].increment();
    }

    static UnleashContext toUnleash(FlagContext c) {
        UnleashContext.Builder b = UnleashContext.builder();
        if (c.userId() != null) {
            b.userId(c.userId());
        }
        if (c.sessionId() != null) {
            b.sessionId(c.sessionId());
        }
        if (c.tenant() != null) {
            b.addProperty("tenant", c.tenant());
        }
        if (!c.groups().isEmpty()) {
            b.addProperty(GROUPS_FIELD, "," + String.join(",", new java.util.TreeSet<>(c.groups())) + ",");
        }
        c.properties().forEach(b::addProperty);
        return b.build();
    }

    /** Sends the last metrics interval, then stops the client. */
    @Override
    public void close() {
        if (serverConfigured) {
            scheduler.flushMetrics();
        }
        unleash.shutdown();
        scheduler.shutdownNow();
    }
}
