package io.spaghetti.sdk.flags.internal;

import io.getunleash.DefaultUnleash;
import io.getunleash.UnleashContext;
import io.getunleash.metric.DefaultHttpMetricsSender;
import io.getunleash.repository.HttpFeatureFetcher;
import io.getunleash.util.UnleashConfig;
import io.getunleash.variant.Variant;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.flags.FlagContext;
import io.spaghetti.sdk.flags.FlagEvaluation;
import io.spaghetti.sdk.flags.FlagPayload;
import io.spaghetti.sdk.flags.FlagReason;
import io.spaghetti.sdk.flags.Flags;
import io.spaghetti.sdk.flags.FlagsConfig;
import io.spaghetti.sdk.flags.FlagsListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link Flags} on the Unleash client, bootstrapped from the platform definitions. A repeated evaluation of a
 * deterministic flag is answered from {@link ReusedAnswers} and counted in {@link ReusedUsage}, which the metrics
 * sender adds to what the engine counted.
 */
public final class UnleashFlags implements Flags, AutoCloseable {
    /** The context field the definitions' group constraints match: {@code ,g1,g2,}. */
    public static final String GROUPS_FIELD = "groups";
    private static final String OTHER_FLAG = "other";
    private static final String DISABLED = "disabled";

    /** The state the client evaluates, with the answers reused for it. */
    private record Snapshot(FlagState state, ReusedAnswers answers) {
    }

    private final DefaultUnleash unleash;
    private final FetchStatus status;
    private final FlushingScheduler scheduler;
    private final boolean serverConfigured;
    private final String environment;
    private final int answerCacheSize;
    private final ReusedUsage usage = new ReusedUsage();
    private final Map<String, LongAdder[]> evaluations = new HashMap<>();
    private volatile Snapshot snapshot;
    private final FlagEvents events;

    public UnleashFlags(FlagsConfig config, String appName, String instanceId, MeterRegistry meters,
            ObservationRegistry observations, ThreadFactory threads) {
        this.events = new FlagEvents(observations);
        FlagDefinitions definitions = FlagDefinitions.load(config.definitions(), config.environment());
        this.serverConfigured = config.url() != null;
        this.environment = config.environment();
        Path backup = config.backupFile() != null ? config.backupFile()
                : Path.of(System.getProperty("java.io.tmpdir"), "spaghetti-flags-" + appName + ".json");
        FlagState fromBackup = readState(backup);
        FlagState bundled = FlagState.parse(definitions.clientFeaturesJson());
        FlagState initial = fromBackup != null ? fromBackup : bundled;
        boolean sendsMetrics = serverConfigured && config.sendMetrics();
        // without the means to add reused answers to the client's metrics, reuse only when none are sent
        this.answerCacheSize = sendsMetrics && !CountingMetricSender.supported() ? 0 : config.answerCacheSize();
        this.snapshot = new Snapshot(initial, new ReusedAnswers(Math.max(1, answerCacheSize)));
        this.status = new FetchStatus(serverConfigured ? config.url() : "nowhere",
                fromBackup != null ? "backup file" : "bootstrap", this::newState);
        this.scheduler = new FlushingScheduler(threads);
        UnleashConfig.Builder b = UnleashConfig.builder()
                .appName(appName)
                .instanceId(instanceId)
                .unleashAPI(serverConfigured ? config.url() : "http://127.0.0.1:9/api")
                .fetchTogglesInterval(config.pollInterval().getSeconds())
                .sendMetricsInterval(config.metricsInterval().getSeconds())
                .backupFile(backup.toString())
                .toggleBootstrapProvider(() -> Optional.of(definitions.clientFeaturesJson()))
                .scheduledExecutor(scheduler)
                .subscriber(status)
                .unleashFeatureFetcherFactory(c -> new GuardedFetcher(new HttpFeatureFetcher(c), status))
                .metricsSenderFactory(c -> new CountingMetricSender(new DefaultHttpMetricsSender(c), c, usage))
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
        for (String flag : bundled.names()) {
            register(meters, flag);
        }
        register(meters, OTHER_FLAG);
        FunctionCounter.builder("flags.fetch.errors", status, FetchStatus::errorCount)
                .description("Failed fetches from the Unleash server").register(meters);
        Gauge.builder("flags.fetch.age", status,
                        s -> s.lastGoodFetchAge().map(d -> d.toNanos() / 1e9).orElse(Double.NaN))
                .description("Seconds since the last successful fetch").baseUnit("seconds").register(meters);
    }

    /** The backup file's state when the client will start from it (it prefers a readable backup to bootstrap). */
    private static FlagState readState(Path backup) {
        try {
            return Files.isRegularFile(backup) ? FlagState.parse(Files.readString(backup)) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private void newState(String clientFeaturesJson) {
        FlagState next;
        try {
            next = FlagState.parse(clientFeaturesJson);
        } catch (IllegalArgumentException e) {
            next = FlagState.EMPTY;
        }
        Snapshot previous = snapshot;
        snapshot = new Snapshot(next, new ReusedAnswers(Math.max(1, answerCacheSize)));
        status.flagsChanged(next.changedSince(previous.state()));
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
        Snapshot s = snapshot;
        boolean reusable = reusable(s, flag, context);
        Boolean known = reusable ? s.answers().enabled(flag, context) : null;
        boolean on;
        if (known != null) {
            on = known;
            usage.count(flag, on);
        } else {
            on = unleash.isEnabled(flag, toUnleash(context));
            if (reusable) {
                s.answers().enabled(flag, context, on);
            }
        }
        count(flag, on);
        events.evaluated(flag, on ? "true" : "false", known != null ? "CACHED" : "UNKNOWN");
        return on;
    }

    @Override
    public FlagEvaluation evaluate(String flag, FlagContext context) {
        Snapshot s = snapshot;
        boolean reusable = reusable(s, flag, context);
        Variant v = reusable ? s.answers().variant(flag, context) : null;
        if (v != null) {
            usage.countVariant(flag, v.isFeatureEnabled(), v.getName());
        } else {
            try {
                v = unleash.getVariant(flag, toUnleash(context));
            } catch (RuntimeException e) {
                count(flag, false);
                return new FlagEvaluation(flag, false, DISABLED, false, null, FlagReason.ERROR, "GENERAL");
            }
            if (reusable) {
                s.answers().variant(flag, context, v);
            }
        }
        boolean on = v.isFeatureEnabled();
        count(flag, on);
        FlagState.Flag f = s.state().flag(flag);
        if (f == null) {
            return new FlagEvaluation(flag, false, DISABLED, false, null, FlagReason.ERROR, "FLAG_NOT_FOUND");
        }
        FlagReason reason = !f.enabled() ? FlagReason.DISABLED
                : on ? (f.split() ? FlagReason.SPLIT : FlagReason.TARGETING_MATCH) : FlagReason.DEFAULT;
        events.evaluated(flag, v.getName(), reason.name());
        // the client gives the "disabled" variant an empty string payload: none
        FlagPayload payload = v.getPayload().filter(p -> p.getValue() != null)
                .map(p -> new FlagPayload(p.getType(), p.getValue())).orElse(null);
        return new FlagEvaluation(flag, on, v.getName(), v.isEnabled(), payload, reason, null);
    }

    private boolean reusable(Snapshot s, String flag, FlagContext context) {
        if (answerCacheSize == 0) {
            return false;
        }
        FlagState.Flag f = s.state().flag(flag);
        return f != null && f.reusableFor(context);
    }

    @Override
    public Set<String> knownFlags() {
        return new HashSet<>(unleash.more().getFeatureToggleNames());
    }

    @Override
    public void addListener(FlagsListener listener) {
        status.addListener(listener);
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

    UnleashContext toUnleash(FlagContext c) {
        UnleashContext.Builder b = UnleashContext.builder();
        if (c.userId() != null) {
            b.userId(c.userId());
        }
        if (c.sessionId() != null) {
            b.sessionId(c.sessionId());
        }
        if (c.remoteAddress() != null) {
            b.remoteAddress(c.remoteAddress());
        }
        b.environment(c.environment() != null ? c.environment() : environment);
        if (c.appName() != null) {
            b.appName(c.appName());
        }
        if (c.currentTime() != null) {
            b.currentTime(c.currentTime().atZone(ZoneOffset.UTC));
        }
        if (c.tenant() != null) {
            b.addProperty("tenant", c.tenant());
        }
        if (!c.groups().isEmpty()) {
            b.addProperty(GROUPS_FIELD, "," + String.join(",", new TreeSet<>(c.groups())) + ",");
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
