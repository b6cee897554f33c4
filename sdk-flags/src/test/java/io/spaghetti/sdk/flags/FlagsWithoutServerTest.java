package io.spaghetti.sdk.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.SdkStartupException;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.flags.openfeature.SpaghettiFlagsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No server ever: the bundled platform definitions answer. */
class FlagsWithoutServerTest {
    @TempDir
    Path tmp;

    private Sdk start(String yaml) {
        SdkConfig config = SdkConfig.loader()
                .yaml("t", "redis:\n  enabled: false\nflags:\n  backupFile: " + tmp.resolve("backup.json") + "\n" + yaml)
                .environment(Map.of()).systemProperties(new Properties()).load();
        return Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new FlagsModule())).build();
    }

    static double fraction(Flags flags, String flag, String group, int users) {
        int on = 0;
        for (int i = 0; i < users; i++) {
            FlagContext.Builder b = FlagContext.user("user-" + i);
            if (group != null) {
                b.group(group);
            }
            on += flags.isEnabled(flag, b.build()) ? 1 : 0;
        }
        return 100.0 * on / users;
    }

    @Test
    void theBundledDefinitionsAreExportedAsUnleashClientFeaturesForABareClient() throws Exception {
        com.fasterxml.jackson.databind.JsonNode features = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                FlagsModule.clientFeaturesJson("classpath:flags/platform-flags.json", "development")).path("features");
        assertThat(features.isArray()).isTrue();
        assertThat(features.findValuesAsText("name")).contains("ai_document_generation", "advanced_search",
                "real_time_collaboration");
    }

    @Test
    void rolloutFractionsForMembersAndNobodyElse() {
        try (Sdk sdk = start("")) {
            Flags flags = sdk.module(FlagsModule.class).flags();
            assertThat(fraction(flags, "ai_document_generation", "beta_users", 20_000)).isCloseTo(10, within());
            assertThat(fraction(flags, "advanced_search", "power_users", 20_000)).isCloseTo(20, within());
            assertThat(fraction(flags, "real_time_collaboration", "alpha_users", 20_000)).isCloseTo(5, within());
            assertThat(fraction(flags, "ai_document_generation", "power_users", 5_000)).isZero();
            assertThat(fraction(flags, "advanced_search", null, 5_000)).isZero();
            assertThat(sdk.checkHealth().module("flags").status()).isEqualTo(HealthStatus.UP);
            assertThat(sdk.checkHealth().module("flags").details()).containsEntry("source", "bootstrap");
        }
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1.5);
    }

    @Test
    void aUserInTwoGroupsGetsEachGroupsFlagsAndDecisionsAreSticky() {
        try (Sdk sdk = start("")) {
            Flags flags = sdk.module(FlagsModule.class).flags();
            int both = 0;
            for (int i = 0; i < 20_000; i++) {
                FlagContext one = FlagContext.user("u" + i).group("beta_users").build();
                FlagContext two = FlagContext.user("u" + i).group("beta_users").group("power_users").build();
                assertThat(flags.isEnabled("ai_document_generation", two))
                        .isEqualTo(flags.isEnabled("ai_document_generation", one));
                both += flags.isEnabled("advanced_search", two) ? 1 : 0;
            }
            assertThat(100.0 * both / 20_000).isCloseTo(20, within());
            // A group whose name contains another's is not mistaken for it.
            assertThat(fraction(flags, "ai_document_generation", "beta_users_archive", 5_000)).isZero();
        }
    }

    @Test
    void evaluationDetailsGiveTheReason() {
        try (Sdk sdk = start("")) {
            Flags flags = sdk.module(FlagsModule.class).flags();
            FlagEvaluation unknown = flags.evaluate("no_such_flag", FlagContext.user("u").build());
            assertThat(unknown.value()).isFalse();
            assertThat(unknown.reason()).isEqualTo(FlagReason.ERROR);
            assertThat(unknown.errorCode()).isEqualTo("FLAG_NOT_FOUND");
            assertThat(flags.evaluate("advanced_search", FlagContext.user("u").build()).reason())
                    .isEqualTo(FlagReason.DEFAULT);
            // a percentage rollout decided for a member it includes; one it leaves out gets the default
            for (int i = 0; i < 50; i++) {
                FlagEvaluation member = flags.evaluate("advanced_search",
                        FlagContext.user("u" + i).group("power_users").build());
                assertThat(member.reason()).isEqualTo(member.value() ? FlagReason.SPLIT : FlagReason.DEFAULT);
            }
            assertThat(sdk.meterRegistry().get("flags.evaluations").tags("flag", "other", "result", "false")
                    .functionCounter().count()).isEqualTo(1);
            assertThat(sdk.meterRegistry().get("flags.evaluations").tags("flag", "advanced_search").functionCounters()
                    .stream().mapToDouble(c -> c.count()).sum()).isEqualTo(51);
        }
    }

    @Test
    void openFeatureClientsSeeTheSameDecisions() {
        try (Sdk sdk = start("")) {
            Flags flags = sdk.module(FlagsModule.class).flags();
            OpenFeatureAPI api = OpenFeatureAPI.getInstance();
            api.setProviderAndWait("spaghetti-test", new SpaghettiFlagsProvider(flags));
            Client client = api.getClient("spaghetti-test");
            for (int i = 0; i < 2_000; i++) {
                MutableContext ctx = new MutableContext("user-" + i);
                ctx.add("groups", List.of(new Value("power_users")));
                FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("advanced_search", false, ctx);
                assertThat(d.getValue()).isEqualTo(flags.isEnabled("advanced_search",
                        FlagContext.user("user-" + i).group("power_users").build()));
                assertThat(d.getReason()).isEqualTo(d.getValue() ? "SPLIT" : "DEFAULT");
            }
            FlagEvaluationDetails<Boolean> missing = client.getBooleanDetails("nope", true, new MutableContext("u"));
            assertThat(missing.getValue()).isTrue();
            assertThat(missing.getErrorCode()).hasToString("FLAG_NOT_FOUND");
        }
    }

    @Test
    void malformedDefinitionsFileIsAClearErrorNamingTheFile() throws Exception {
        Path bad = tmp.resolve("flags.json");
        Files.writeString(bad, "{ \"features\": [ { \"name\": \"x\" }, ");
        assertThatThrownBy(() -> start("  required: true\n  definitions: " + bad + "\n"))
                .isInstanceOf(SdkStartupException.class)
                .hasMessageContaining("Flag definitions " + bad + " is not valid JSON at line 1")
                .hasMessageContaining("point flags.definitions at a valid Unleash export");
        Files.writeString(bad, "{ \"flags\": [] }");
        assertThatThrownBy(() -> start("  required: true\n  definitions: " + bad + "\n"))
                .hasMessageContaining("has no 'features' list");
    }
}
