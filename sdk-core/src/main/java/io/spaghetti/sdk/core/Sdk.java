package io.spaghetti.sdk.core;

import io.micrometer.context.ContextScheduledExecutorService;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.spaghetti.sdk.core.ai.AiConfig;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.internal.ai.TieredAiCache;
import io.spaghetti.sdk.core.config.ServiceConfig;
import io.spaghetti.sdk.core.internal.bootstrap.BlockingWork;
import io.spaghetti.sdk.core.internal.bootstrap.ModuleGraph;
import io.spaghetti.sdk.core.internal.bootstrap.ModuleRunner;
import io.spaghetti.sdk.core.internal.bootstrap.HealthMonitor;
import io.spaghetti.sdk.core.internal.bootstrap.SdkThreads;
import io.spaghetti.sdk.core.internal.tracing.CurrentSpanExemplars;
import io.spaghetti.sdk.core.tracing.Tracing;
import io.spaghetti.sdk.core.tracing.TracingConfig;
import io.spaghetti.sdk.core.tracing.TracingProvider;
import io.spaghetti.sdk.core.resilience.Resilience;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running SDK: every module found on the classpath, started in dependency order.
 *
 * <pre>{@code
 * try (Sdk sdk = Sdk.bootstrap()) {
 *     RedissonClient redis = sdk.module(RedisModule.class).client();
 *     System.out.println(sdk.health().toJson());
 * }
 * }</pre>
 */
public final class Sdk implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sdk.class);
    /**
     * Exemplars only where OpenMetrics allows them (histogram buckets, counters): Micrometer also puts them on
     * histogram counts, and Prometheus before 2.43 then rejects the whole scrape.
     */
    private static final PrometheusConfig PROMETHEUS = new PrometheusConfig() {
        @Override
        public String get(String key) {
            return null;
        }

        @Override
        public java.util.Properties prometheusProperties() {
            java.util.Properties p = PrometheusConfig.super.prometheusProperties();
            p.setProperty("io.prometheus.exporter.exemplarsOnAllMetricTypes", "false");
            return p;
        }
    };

    private final SdkConfig config;
    private final ObservationRegistry observations;
    private final Tracer tracer;
    private final Tracing exporter;
    private final MeterRegistry meters;
    private final boolean ownsMeters;
    private final ScheduledExecutorService scheduler;
    private final BlockingWork blockingWork;
    private final Resilience resilience;
    private final io.spaghetti.sdk.core.ai.AiMetrics aiMetrics;
    private final List<ModuleRunner> runners;
    private final HealthMonitor healthMonitor;
    private final Map<Class<?>, SdkModule> byType = new LinkedHashMap<>();
    private volatile boolean closed;
    private volatile io.spaghetti.sdk.core.ai.AiCache aiCache;

    private Sdk(Builder b) {
        this.config = b.config != null ? b.config : SdkConfig.load();
        if (b.observations != null) {
            this.observations = b.observations;
            this.tracer = b.tracer != null ? b.tracer : Tracer.NOOP;
            this.exporter = null;
        } else {
            this.observations = ObservationRegistry.create();
            this.exporter = startExporter(config);
            if (exporter != null) {
                exporter.handlers().forEach(h -> observations.observationConfig().observationHandler(h));
            }
            this.tracer = exporter != null ? exporter.tracer() : Tracer.NOOP;
        }
        this.ownsMeters = b.meters == null;
        this.meters = b.meters != null ? b.meters : new PrometheusMeterRegistry(PROMETHEUS,
                new PrometheusRegistry(), Clock.SYSTEM, tracer == Tracer.NOOP ? null : new CurrentSpanExemplars(tracer));
        if (!b.metersTagged) {
            meters.config().commonTags(commonTags(config.service()));
        }
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, new SdkThreads("scheduler"));
        pool.setRemoveOnCancelPolicy(true);
        // A task carries the observation (trace, log ids) of whoever scheduled it: a retry is part of its request.
        this.scheduler = ContextScheduledExecutorService.wrap(Executors.unconfigurableScheduledExecutorService(pool));
        this.blockingWork = new BlockingWork(scheduler);
        this.resilience = new Resilience(config.resilience(), meters, scheduler);
        this.aiMetrics = new io.spaghetti.sdk.core.ai.AiMetrics(meters, observations);
        List<SdkModule> modules = new ArrayList<>(b.modules != null ? b.modules : discover());
        for (SdkModule replacement : b.replacements) {
            modules.removeIf(m -> m.name().equals(replacement.name()));
            modules.add(replacement);
        }
        this.runners = new ArrayList<>();
        for (SdkModule m : ModuleGraph.order(modules)) {
            runners.add(new ModuleRunner(m, m.configSection() == null ? null : config.section(m.configSection())));
            byType.put(m.getClass(), m);
        }
        this.healthMonitor = new HealthMonitor(runners, config.health());
    }

    private static Tracing startExporter(SdkConfig config) {
        TracingConfig tracing = config.section(TracingConfig.SECTION);
        if (!tracing.exports()) {
            return null;
        }
        TracingProvider provider = ServiceLoader.load(TracingProvider.class, Sdk.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new SdkStartupException("tracing.zipkin.endpoint is set but no trace exporter is on"
                        + " the classpath. Fix: add the sdk-tracing dependency, or leave tracing.zipkin.endpoint empty"));
        return provider.start(tracing, config.service());
    }

    /** The tags the SDK puts on every meter: {@code service}, {@code instance}, {@code environment}. */
    public static Tags commonTags(ServiceConfig service) {
        return Tags.of("service", service.name(), "instance", service.instance(), "environment", service.environment());
    }

    /** Loads {@link SdkConfig#load()} and starts every module on the classpath. */
    public static Sdk bootstrap() {
        return builder().build();
    }

    public static Sdk bootstrap(SdkConfig config) {
        return builder().config(config).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public SdkConfig config() {
        return config;
    }

    /** The application's registry when one was given, else a Prometheus registry the SDK created. */
    public MeterRegistry meterRegistry() {
        return meters;
    }

    public Resilience resilience() {
        return resilience;
    }

    /**
     * Where the SDK reports its operations as observations: the application's registry when one was given, else
     * the SDK's own, which exports traces when section {@code tracing} says where (and costs a no-op check if not).
     */
    public ObservationRegistry observationRegistry() {
        return observations;
    }

    /** The tracer behind {@link #observationRegistry()} ({@link Tracer#NOOP} without tracing). */
    public Tracer tracer() {
        return tracer;
    }

    /**
     * The started module of this type.
     *
     * @throws IllegalStateException naming the jar to add, when the module is not on the classpath
     */
    public <M extends SdkModule> M module(Class<M> type) {
        return findModule(type).orElseThrow(() -> new IllegalStateException(type.getSimpleName()
                + " is not on the classpath. Fix: add the SDK module that provides it (see the README's module table)."));
    }

    public <M extends SdkModule> Optional<M> findModule(Class<M> type) {
        return byType.entrySet().stream().filter(e -> type.isAssignableFrom(e.getKey()))
                .map(e -> type.cast(e.getValue())).findFirst();
    }

    /** Instrumentation for AI calls (response time, tokens, cost, errors, queue length) on this SDK's registry. */
    public io.spaghetti.sdk.core.ai.AiMetrics aiMetrics() {
        return aiMetrics;
    }

    /** AI answers on the tiered cache, keyed by provider, model, prompt hash and parameters (section {@code ai}). */
    public io.spaghetti.sdk.core.ai.AiCache aiCache() {
        io.spaghetti.sdk.core.ai.AiCache c = aiCache;
        if (c == null) {
            synchronized (this) {
                if (aiCache == null) {
                    AiConfig ai = config.section(AiConfig.SECTION);
                    ValueProtector protector = null;
                    if (ai.cache().encrypt()) {
                        protector = byType.values().stream().filter(ValueProtector.class::isInstance)
                                .map(ValueProtector.class::cast).findFirst().orElseThrow(() -> new IllegalStateException(
                                "ai.cache.encrypt needs a module that encrypts at rest, and none is on the classpath."
                                        + " Fix: add sdk-crypto, or set ai.cache.encrypt: false"));
                    }
                    aiCache = new TieredAiCache(cache(), aiMetrics, ai, protector);
                }
                c = aiCache;
            }
        }
        return c;
    }

    /** The tiered caches (module {@code cache}). */
    public io.spaghetti.sdk.core.cache.Caches cache() {
        return module(io.spaghetti.sdk.core.cache.CacheModule.class).caches();
    }

    /**
     * The last health report: every module is checked every {@code health.interval}, each check within
     * {@code health.timeout}, so this never waits for a dependency. A DOWN required module makes the whole DOWN.
     */
    public HealthReport health() {
        return healthMonitor.last();
    }

    /** Checks every module now (each within {@code health.timeout}) and returns the fresh report. */
    public HealthReport checkHealth() {
        return healthMonitor.check();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        healthMonitor.close();
        List<ModuleRunner> reversed = new ArrayList<>(runners);
        Collections.reverse(reversed);
        reversed.forEach(ModuleRunner::close);
        blockingWork.close();
        resilience.close();
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("SDK scheduler did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsMeters) {
            meters.close();
        }
        if (exporter != null) {
            exporter.close();
        }
        log.info("Spaghetti SDK closed");
    }

    private Sdk start(Duration firstRetry, Duration maxRetry) {
        long t0 = System.nanoTime();
        ModuleContext context = new Context();
        for (ModuleRunner r : runners) {
            try {
                r.start(context, firstRetry, maxRetry);
            } catch (Exception e) {
                close();
                throw new SdkStartupException("Required module '" + r.module().name() + "' could not start: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\.$", ""))
                        + ". Fix the cause, or set " + r.module().name()
                        + ".required: false to start DEGRADED and retry in the background.", e);
            }
        }
        for (ModuleRunner r : runners) {
            String name = r.module().name();
            Gauge.builder("spaghetti.sdk.module.status", healthMonitor, m -> m.statusValue(name))
                    .description("1 up, 0.5 degraded, 0 down, -1 disabled")
                    .tags(Tags.of("module", r.module().name()))
                    .register(meters);
        }
        healthMonitor.start();
        log.info("Spaghetti SDK started in {} ms for {} ({}): {}", (System.nanoTime() - t0) / 1_000_000,
                config.service().name(), config.service().environment(),
                runners.isEmpty() ? "no modules" : healthMonitor.last().modules().stream()
                        .map(m -> m.module() + " " + m.status()).collect(Collectors.joining(", ")));
        return this;
    }

    private static List<SdkModule> discover() {
        List<SdkModule> modules = new ArrayList<>();
        ServiceLoader.load(SdkModule.class, Sdk.class.getClassLoader()).forEach(modules::add);
        return modules;
    }

    private final class Context implements ModuleContext {
        @Override
        public SdkConfig config() {
            return config;
        }

        @Override
        public MeterRegistry meterRegistry() {
            return meters;
        }

        @Override
        public Resilience resilience() {
            return resilience;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }

        @Override
        public ExecutorService blockingExecutor() {
            return blockingWork.executor();
        }

        @Override
        public ScheduledFuture<?> scheduleBlocking(String job, Duration every, Runnable task) {
            return blockingWork.every(job, every, task);
        }

        @Override
        public ObservationRegistry observationRegistry() {
            return observations;
        }

        @Override
        public ThreadFactory threadFactory(String purpose) {
            return new SdkThreads(purpose);
        }

        @Override
        public <M extends SdkModule> M module(Class<M> type) {
            return Sdk.this.module(type);
        }
    }

    /** Chooses the configuration, registry and modules; {@link #build()} starts them. */
    public static final class Builder {
        private SdkConfig config;
        private MeterRegistry meters;
        private boolean metersTagged;
        private ObservationRegistry observations;
        private Tracer tracer;
        private List<SdkModule> modules;
        private final List<SdkModule> replacements = new ArrayList<>();
        private Duration firstRetry = Duration.ofSeconds(1);
        private Duration maxRetry = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder config(SdkConfig config) {
            this.config = config;
            return this;
        }

        /** The application's registry; the SDK adds the common tags service, instance and environment. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meters = registry;
            this.metersTagged = false;
            return this;
        }

        /**
         * The application's registry, which already carries {@link Sdk#commonTags} (given when the registry was
         * created, before any meter: Micrometer warns about tags added later). The SDK adds none.
         */
        public Builder taggedMeterRegistry(MeterRegistry registry) {
            this.meters = registry;
            this.metersTagged = true;
            return this;
        }

        /**
         * The application's observation registry (with its own tracing, if any): the SDK reports its operations
         * there and ignores section {@code tracing}. Give {@code tracer} too for the current trace on log lines of
         * SDK threads; null: {@link Tracer#NOOP}.
         */
        public Builder observationRegistry(ObservationRegistry registry, Tracer tracer) {
            this.observations = registry;
            this.tracer = tracer;
            return this;
        }

        /** Starts exactly these modules instead of those found on the classpath. */
        public Builder modules(List<? extends SdkModule> modules) {
            this.modules = List.copyOf(modules);
            return this;
        }

        /**
         * Starts this instance in place of the module of the same name (discovered or given): one built around
         * a client the application already has, such as {@code new RedisModule(redissonClient)}.
         */
        public Builder module(SdkModule instance) {
            replacements.removeIf(m -> m.name().equals(instance.name()));
            replacements.add(instance);
            return this;
        }

        /** Back-off of the background retry of optional modules that did not start (default 1 s to 30 s). */
        public Builder startRetryBackoff(Duration first, Duration max) {
            this.firstRetry = first;
            this.maxRetry = max;
            return this;
        }

        public Sdk build() {
            return new Sdk(this).start(firstRetry, maxRetry);
        }
    }
}
