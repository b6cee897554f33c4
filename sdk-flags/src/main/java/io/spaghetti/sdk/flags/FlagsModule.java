package io.spaghetti.sdk.flags;

import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.flags.internal.FlagDefinitions;
import io.spaghetti.sdk.flags.internal.UnleashFlags;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Module {@code flags}: feature flags on Unleash. Never fails start-up for an unreachable server:
 * it answers from the backup file, else from the bundled definitions.
 */
public final class FlagsModule implements SdkModule {
    private volatile UnleashFlags flags;

    @Override
    public String name() {
        return "flags";
    }

    @Override
    public ConfigSection<FlagsConfig> configSection() {
        return FlagsConfig.SECTION;
    }

    @Override
    public void start(ModuleContext context) {
        FlagsConfig config = context.config().section(FlagsConfig.SECTION);
        String appName = config.appName() == null || config.appName().isEmpty()
                ? context.config().service().name() : config.appName();
        flags = new UnleashFlags(config, appName, context.config().service().instance(), context.meterRegistry(),
                context.observationRegistry(), context.threadFactory("flags"));
    }

    /**
     * Flag definitions (the {@code flags.definitions} format, e.g. {@code classpath:flags/platform-flags.json}) as
     * Unleash's client-features JSON for one environment: the state to bootstrap a bare Unleash client or a test
     * server with, so it answers as this module does.
     */
    public static String clientFeaturesJson(String definitionsLocation, String environment) {
        return FlagDefinitions.load(definitionsLocation, environment).clientFeaturesJson();
    }

    public Flags flags() {
        UnleashFlags f = flags;
        if (f == null) {
            throw new IllegalStateException("the flags module is not started (flags.enabled: false?)");
        }
        return f;
    }

    @Override
    public Health health() {
        UnleashFlags f = flags;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("source", f.status().source());
        details.put("flags", f.knownFlags().size());
        f.lastGoodFetchAge().ifPresent(age -> details.put("lastGoodFetchAgeSeconds", age.toSeconds()));
        if (!f.serverConfigured()) {
            return Health.up(details);
        }
        if (f.status().inOutage() || f.lastGoodFetchAge().isEmpty()) {
            return Health.degraded("Unleash unreachable; evaluating from " + f.status().source()
                    + f.lastGoodFetchAge().map(a -> " fetched " + a.toSeconds() + " s ago").orElse(""))
                    .withDetails(details);
        }
        return Health.up(details);
    }

    @Override
    public void close() {
        UnleashFlags f = flags;
        if (f != null) {
            f.close();
        }
    }
}
