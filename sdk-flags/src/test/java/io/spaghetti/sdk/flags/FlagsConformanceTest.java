package io.spaghetti.sdk.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import io.getunleash.DefaultUnleash;
import io.getunleash.util.UnleashConfig;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.flags.openfeature.SpaghettiFlagsProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every context field, operator, segment, variant payload and dependency of the conformance definitions, with no
 * server: the SDK answers as the bare client given the same state, on the first call and when it reuses answers.
 */
class FlagsConformanceTest {
    @TempDir
    Path tmp;
    private Sdk sdk;
    private Flags flags;
    private DefaultUnleash bare;
    private Set<String> names;

    @BeforeEach
    void start() throws Exception {
        sdk = ConformanceContexts.definitionsOnly(tmp.resolve("backup.json"));
        flags = sdk.module(FlagsModule.class).flags();
        String state = FlagsModule.clientFeaturesJson(ConformanceContexts.DEFINITIONS, ConformanceContexts.ENVIRONMENT);
        bare = new DefaultUnleash(UnleashConfig.builder().appName("bare").unleashAPI("http://127.0.0.1:9/api")
                .disablePolling().disableMetrics().backupFile(tmp.resolve("bare.json").toString())
                .toggleBootstrapProvider(() -> Optional.of(state)).build());
        names = new HashSet<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(state).path("features")
                .forEach(f -> names.add(f.path("name").asText()));
    }

    @AfterEach
    void stop() {
        bare.shutdown();
        sdk.close();
    }

    @Test
    void everyFlagAnswersAsTheBareClientFirstAndWhenReused() {
        assertThat(names).hasSize(31);
        Map<String, Integer> on = new java.util.TreeMap<>();
        for (FlagContext c : ConformanceContexts.random(3_000, 7)) {
            for (String flag : names) {
                String expected = ConformanceContexts.bareAnswer(bare, flag, c);
                assertThat(ConformanceContexts.sdkAnswer(flags, flag, c)).as("%s for %s", flag, c).isEqualTo(expected);
                assertThat(ConformanceContexts.sdkAnswer(flags, flag, c)).as("%s reused for %s", flag, c)
                        .isEqualTo(expected);
                boolean enabled = flags.isEnabled(flag, c);
                assertThat(enabled).as("isEnabled %s for %s", flag, c).isEqualTo(expected.startsWith("true"));
                on.merge(flag, enabled ? 1 : 0, Integer::sum);
            }
        }
        // the contexts reach both answers of nearly every flag (a few are on for everyone, one is switched off)
        assertThat(on.get("switched_off")).isZero();
        assertThat(on.values().stream().filter(n -> n > 0 && n < 3_000).count()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void weightedVariantsForAContextWithoutAnyIdAreNotFrozen() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(flags.evaluate("variants_payloads", FlagContext.anonymous()).variant());
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void aDateConstraintUsesTheContextsTimeElseTheClock() {
        FlagContext before = FlagContext.user("u1").currentTime(Instant.parse("2026-01-01T00:00:00Z")).build();
        FlagContext after = FlagContext.user("u1").currentTime(Instant.parse("2026-07-01T00:00:00Z")).build();
        assertThat(flags.isEnabled("op_date_after", before)).isFalse();
        assertThat(flags.isEnabled("op_date_after", after)).isTrue();
        assertThat(flags.isEnabled("op_date_before", before)).isTrue();
        assertThat(flags.isEnabled("op_date_after", FlagContext.user("u1").build()))
                .isEqualTo(Instant.now().isAfter(Instant.parse("2026-06-01T00:00:00Z")));
    }

    @Test
    void payloadsOfEveryTypeWithReasons() {
        FlagContext c = FlagContext.user("u1").build();
        FlagEvaluation e = flags.evaluate("variants_payloads", c);
        assertThat(e.value()).isTrue();
        assertThat(e.variantEnabled()).isTrue();
        assertThat(e.payload()).isNotNull();
        assertThat(e.reason()).isEqualTo(FlagReason.SPLIT);
        Set<String> types = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            types.add(flags.evaluate("variants_payloads", FlagContext.user("p" + i).build()).payload().type());
        }
        assertThat(types).containsExactlyInAnyOrder("string", "json", "number", "csv");
        FlagEvaluation plain = flags.evaluate("ctx_user_with_id", c);
        assertThat(plain.reason()).isEqualTo(FlagReason.TARGETING_MATCH);
        assertThat(plain.variant()).isEqualTo("disabled");
        assertThat(plain.variantEnabled()).isFalse();
        assertThat(plain.payload()).isNull();
        assertThat(flags.evaluate("switched_off", c).reason()).isEqualTo(FlagReason.DISABLED);
        assertThat(flags.evaluate("ctx_user_with_id", FlagContext.user("u2").build()).reason())
                .isEqualTo(FlagReason.DEFAULT);
    }

    @Test
    void aNullPropertyIsAnUnsetField() {
        FlagContext c = FlagContext.user("u1").property("country", "NO").property("country", null)
                .property("tier", null).build();
        assertThat(c.properties()).isEmpty();
        assertThat(flags.isEnabled("op_in", c)).isFalse();
        assertThat(flags.isEnabled("op_not_in", c)).isTrue();
    }

    @Test
    void openFeatureResolvesEveryTypeFromVariantsAndPayloads() {
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait("conformance", new SpaghettiFlagsProvider(flags));
        Client client = api.getClient("conformance");
        int checked = 0;
        for (int i = 0; i < 400; i++) {
            MutableContext ctx = new MutableContext("p" + i);
            FlagEvaluation e = flags.evaluate("variants_payloads", FlagContext.user("p" + i).build());
            String type = e.payload().type();
            FlagEvaluationDetails<String> s = client.getStringDetails("variants_payloads", "none", ctx);
            assertThat(s.getValue()).isEqualTo(e.payload().value());
            assertThat(s.getVariant()).isEqualTo(e.variant());
            assertThat(s.getReason()).isEqualTo("SPLIT");
            assertThat(s.getFlagMetadata().getString("payloadType")).isEqualTo(type);
            FlagEvaluationDetails<Double> d = client.getDoubleDetails("variants_payloads", -1.0, ctx);
            FlagEvaluationDetails<Integer> n = client.getIntegerDetails("variants_payloads", -1, ctx);
            FlagEvaluationDetails<Value> o = client.getObjectDetails("variants_payloads", new Value("dflt"), ctx);
            switch (type) {
                case "number" -> {
                    assertThat(d.getValue()).isEqualTo(2.5);
                    assertThat(n.getErrorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
                    assertThat(n.getValue()).isEqualTo(-1);
                    assertThat(o.getValue().asDouble()).isEqualTo(2.5);
                }
                case "json" -> {
                    assertThat(d.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
                    assertThat(d.getValue()).isEqualTo(-1.0);
                    assertThat(o.getValue().asStructure().getValue("limit").asInteger()).isEqualTo(5);
                    assertThat(o.getValue().asStructure().getValue("tags").asList()).extracting(Value::asString)
                            .containsExactly("a", "b");
                }
                case "csv" -> assertThat(o.getValue().asList()).extracting(Value::asString)
                        .containsExactly("red", "green", "blue");
                default -> assertThat(o.getValue().asString()).isEqualTo("hello");
            }
            checked++;
        }
        assertThat(checked).isEqualTo(400);
        MutableContext attrs = new MutableContext("anyone");
        attrs.add("remoteAddress", "192.168.1.7");
        attrs.add("environment", "production");
        attrs.add("appName", "billing");
        attrs.add("age", 42);
        attrs.add("currentTime", Instant.parse("2026-07-01T00:00:00Z"));
        assertThat(client.getBooleanValue("ctx_remote_address", false, attrs)).isTrue();
        assertThat(client.getBooleanValue("ctx_environment", false, attrs)).isTrue();
        assertThat(client.getBooleanValue("ctx_app_name", false, attrs)).isTrue();
        assertThat(client.getBooleanValue("op_num_eq", false, attrs)).isTrue();
        assertThat(client.getBooleanValue("op_date_after", false, attrs)).isTrue();
        FlagEvaluationDetails<String> off = client.getStringDetails("switched_off", "fallback", attrs);
        assertThat(off.getValue()).isEqualTo("fallback");
        assertThat(off.getReason()).isEqualTo("DISABLED");
        assertThat(client.getIntegerDetails("no_such_flag", 3, attrs).getErrorCode())
                .isEqualTo(ErrorCode.FLAG_NOT_FOUND);
        assertThat(client.getIntegerDetails("ctx_remote_address", 3, attrs).getValue()).isEqualTo(3);
    }
}
