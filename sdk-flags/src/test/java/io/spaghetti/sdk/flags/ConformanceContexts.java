package io.spaghetti.sdk.flags;

import io.getunleash.DefaultUnleash;
import io.getunleash.UnleashContext;
import io.getunleash.variant.Variant;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/** Contexts over every field the conformance flags test, and the bare client's answers for them. */
final class ConformanceContexts {
    static final String DEFINITIONS = "classpath:flags/conformance-flags.json";
    static final String ENVIRONMENT = "development";

    private ConformanceContexts() {
    }

    /** An SDK with no server, answering from the conformance definitions. */
    static io.spaghetti.sdk.core.Sdk definitionsOnly(java.nio.file.Path backupFile) {
        io.spaghetti.sdk.core.config.SdkConfig config = io.spaghetti.sdk.core.config.SdkConfig.loader().yaml("t", """
                redis:
                  enabled: false
                flags:
                  definitions: %s
                  backupFile: %s
                """.formatted(DEFINITIONS, backupFile)).environment(java.util.Map.of())
                .systemProperties(new java.util.Properties()).load();
        return io.spaghetti.sdk.core.Sdk.builder().config(config)
                .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .modules(List.of(new FlagsModule())).build();
    }

    /** Contexts with a user or session id (default stickiness), so that every answer is deterministic. */
    static List<FlagContext> random(int count, long seed) {
        Random r = new Random(seed);
        List<FlagContext> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FlagContext.Builder b = FlagContext.builder()
                    .userId(pick(r, "u1", "u2", "u3", "u5", "u7", "u9", "user-" + r.nextInt(1000), null))
                    .sessionId(pick(r, "s-" + r.nextInt(50), null))
                    .remoteAddress(pick(r, "10.1.2.3", "192.168.1.7", "192.168.1.8", "172.16.0.1", null))
                    .environment(pick(r, "production", "development", null))
                    .appName(pick(r, "billing", "web", null))
                    .currentTime(pick(r, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"),
                            null))
                    .tenant(pick(r, "acme", "globex", null))
                    .property("country", pick(r, "NO", "SE", "DK", null))
                    .property("tier", pick(r, "banned", "gold", null))
                    .property("email", pick(r, "a@example.com", "spam@example.org", "b@example.net", null))
                    .property("plan", pick(r, "Pro-annual", "free", "enterprise", null))
                    .property("age", pick(r, "17", "18", "30", "42", "x", null))
                    .property("version", pick(r, "2.1.0", "2.0.0-beta.1", "1.9.0", "3.0.0", null));
            if (r.nextBoolean()) {
                b.group("beta");
            }
            if (r.nextBoolean()) {
                b.group("alpha");
            }
            FlagContext c = b.build();
            if (c.userId() == null && c.sessionId() == null) {
                // without any id the client picks weighted variants at random: compared apart
                c = b.sessionId("s-fallback-" + i).build();
            }
            out.add(c);
        }
        return out;
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... values) {
        return values[r.nextInt(values.length)];
    }

    /**
     * The context as a bare client is given it, field by field: written out here rather than taken from the SDK,
     * whose own mapping is part of what the comparison checks.
     */
    static UnleashContext bare(FlagContext c) {
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
        b.environment(c.environment() != null ? c.environment() : ENVIRONMENT);
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
            b.addProperty("groups", "," + String.join(",", new TreeSet<>(c.groups())) + ",");
        }
        c.properties().forEach(b::addProperty);
        return b.build();
    }

    /** The bare client's evaluation in the SDK's terms, for comparison (reason and error left out). */
    static String bareAnswer(DefaultUnleash bare, String flag, FlagContext c) {
        Variant v = bare.getVariant(flag, bare(c));
        return answer(v.isFeatureEnabled(), v.getName(), v.isEnabled(),
                v.getPayload().filter(p -> p.getValue() != null).map(p -> p.getType() + ":" + p.getValue()).orElse(null));
    }

    static String sdkAnswer(Flags flags, String flag, FlagContext c) {
        FlagEvaluation e = flags.evaluate(flag, c);
        return answer(e.value(), e.variant(), e.variantEnabled(),
                e.payload() == null ? null : e.payload().type() + ":" + e.payload().value());
    }

    private static String answer(boolean on, String variant, boolean variantEnabled, String payload) {
        return on + "/" + variant + "/" + variantEnabled + "/" + payload;
    }
}
