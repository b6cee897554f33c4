package io.spaghetti.sdk.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.getunleash.DefaultUnleash;
import io.getunleash.UnleashContext;
import io.getunleash.util.UnleashConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Flags against the real Unleash server of the local stack. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlagsIT {
    private static final List<String> FLAGS = List.of("ai_document_generation", "advanced_search",
            "real_time_collaboration");
    private static final List<String> GROUPS = List.of("beta_users", "power_users", "alpha_users", "guests");

    @TempDir
    Path tmp;

    private Sdk start(Path backup) {
        return start(backup, "flags-it", Duration.ofSeconds(1));
    }

    private Sdk start(Path backup, String appName, Duration metricsInterval) {
        SdkConfig config = SdkConfig.loader().yaml("t", """
                redis:
                  enabled: false
                flags:
                  url: %s
                  apiToken: value:%s
                  appName: %s
                  pollInterval: 1s
                  metricsInterval: %ds
                  backupFile: %s
                """.formatted(StackEnv.require("STACK_UNLEASH_URL"), StackEnv.require("STACK_UNLEASH_CLIENT_TOKEN"),
                appName, metricsInterval.toSeconds(), backup)).environment(Map.of()).systemProperties(new Properties())
                .load();
        return Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new FlagsModule())).build();
    }

    @Test
    @Order(1)
    void serverDecisionsHaveTheRolloutFractionsAndMatchTheBareClient() {
        DefaultUnleash bare = bareClient();
        try (Sdk sdk = start(tmp.resolve("backup.json"))) {
            Flags flags = sdk.module(FlagsModule.class).flags();
            assertThat(sdk.checkHealth().module("flags").status()).isEqualTo(HealthStatus.UP);
            assertThat(sdk.checkHealth().module("flags").details()).containsEntry("source", "server");
            assertThat(FlagsWithoutServerTest.fraction(flags, "ai_document_generation", "beta_users", 20_000))
                    .isCloseTo(10, org.assertj.core.data.Offset.offset(1.5));
            assertThat(FlagsWithoutServerTest.fraction(flags, "advanced_search", "power_users", 20_000))
                    .isCloseTo(20, org.assertj.core.data.Offset.offset(1.5));
            assertThat(FlagsWithoutServerTest.fraction(flags, "real_time_collaboration", "alpha_users", 20_000))
                    .isCloseTo(5, org.assertj.core.data.Offset.offset(1.5));
            assertThat(FlagsWithoutServerTest.fraction(flags, "real_time_collaboration", "beta_users", 5_000)).isZero();

            Random random = new Random(42);
            int enabled = 0;
            for (int i = 0; i < 100_000; i++) {
                String user = "u" + random.nextInt(1_000_000);
                TreeSet<String> groups = new TreeSet<>();
                GROUPS.forEach(g -> {
                    if (random.nextInt(3) == 0) {
                        groups.add(g);
                    }
                });
                String flag = FLAGS.get(random.nextInt(FLAGS.size()));
                UnleashContext.Builder raw = UnleashContext.builder().userId(user);
                if (!groups.isEmpty()) {
                    raw.addProperty("groups", "," + String.join(",", groups) + ",");
                }
                boolean expected = bare.isEnabled(flag, raw.build());
                boolean actual = flags.isEnabled(flag, FlagContext.user(user).groups(groups).build());
                assertThat(actual).as("flag %s user %s groups %s", flag, user, groups).isEqualTo(expected);
                enabled += actual ? 1 : 0;
            }
            assertThat(enabled).isGreaterThan(1_000);
        } finally {
            bare.shutdown();
        }
    }

    @Test
    @Order(2)
    void theLastMetricsIntervalReachesTheServerOnClose() throws Exception {
        String app = "flush-" + System.nanoTime();
        int yes = 0;
        try (Sdk sdk = start(tmp.resolve("flush.json"), app, Duration.ofSeconds(3600))) {
            Flags flags = sdk.module(FlagsModule.class).flags();
            for (int i = 0; i < 1_000; i++) {
                yes += flags.isEnabled("ai_document_generation", FlagContext.user("m" + i).group("beta_users").build())
                        ? 1 : 0;
            }
        }
        int expectedYes = yes;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> usage(app, "yes") == expectedYes && usage(app, "no") == 1_000 - expectedYes);
    }

    /** Evaluations of ai_document_generation the server recorded for an application. */
    private static long usage(String app, String field) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        StackEnv.require("STACK_UNLEASH_URL") + "/admin/client-metrics/features/ai_document_generation/raw"))
                .header("Authorization", StackEnv.require("STACK_UNLEASH_ADMIN_TOKEN")).build(),
                HttpResponse.BodyHandlers.ofString());
        long sum = 0;
        for (var n : new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("data")) {
            if (app.equals(n.path("appName").asText())) {
                sum += n.path(field).asLong();
            }
        }
        return sum;
    }

    @Test
    @Order(3)
    void aFlagChangedThroughTheAdminApiIsSeenWithinThePollInterval() throws Exception {
        try (Sdk sdk = start(tmp.resolve("backup.json"))) {
            Flags flags = sdk.module(FlagsModule.class).flags();
            FlagContext member = firstEnabled(flags, "real_time_collaboration", "alpha_users");
            try {
                admin("real_time_collaboration", "off");
                long t0 = System.nanoTime();
                await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                        .until(() -> !flags.isEnabled("real_time_collaboration", member));
                System.out.printf("admin change seen after %d ms (poll interval 1 s)%n",
                        (System.nanoTime() - t0) / 1_000_000);
                assertThat(flags.evaluate("real_time_collaboration", member).reason()).isEqualTo(FlagReason.DISABLED);
            } finally {
                admin("real_time_collaboration", "on");
            }
        }
    }

    @Test
    @Order(4)
    void serverStoppedKeepsDecisionsAndANewInstanceStartsFromTheBackupFile() throws Exception {
        Path backup = tmp.resolve("outage-backup.json");
        try {
            Map<String, Boolean> before = new java.util.HashMap<>();
            try (Sdk sdk = start(backup)) {
                Flags flags = sdk.module(FlagsModule.class).flags();
                FlagContext member = firstEnabled(flags, "advanced_search", "power_users");
                admin("advanced_search", "off");
                await().atMost(Duration.ofSeconds(5)).until(() -> !flags.isEnabled("advanced_search", member));
                await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(backup)
                        && Files.readString(backup).contains("advanced_search"));
                for (int i = 0; i < 1_000; i++) {
                    for (String flag : FLAGS) {
                        before.put(flag + i, flags.isEnabled(flag, context(i)));
                    }
                }
                stopServer();
                await().atMost(Duration.ofSeconds(10)).until(
                        () -> sdk.checkHealth().module("flags").status() == HealthStatus.DEGRADED);
                assertThat(sdk.checkHealth().module("flags").reason()).contains("Unleash unreachable");
                for (int i = 0; i < 1_000; i++) {
                    for (String flag : FLAGS) {
                        assertThat(flags.isEnabled(flag, context(i))).isEqualTo(before.get(flag + i));
                    }
                }
            }
            try (Sdk restarted = start(backup)) {
                Flags flags = restarted.module(FlagsModule.class).flags();
                assertThat(restarted.checkHealth().module("flags").status()).isEqualTo(HealthStatus.DEGRADED);
                assertThat(restarted.checkHealth().module("flags").details()).containsEntry("source", "backup file");
                // The bundled definitions have advanced_search on; the backup (server state) has it off.
                assertThat(FlagsWithoutServerTest.fraction(flags, "advanced_search", "power_users", 2_000)).isZero();
                for (int i = 0; i < 1_000; i++) {
                    for (String flag : FLAGS) {
                        assertThat(flags.isEnabled(flag, context(i))).isEqualTo(before.get(flag + i));
                    }
                }
            }
        } finally {
            startServer();
            admin("advanced_search", "on");
        }
    }

    @Test
    @Order(5)
    void conformanceFlagsOnTheServerAnswerAsTheBareClientAndAsTheDefinitionsWithoutTheServer() throws Exception {
        new UnleashAdmin().load("flags/conformance-flags.json", "development");
        DefaultUnleash bare = bareClient();
        try (Sdk online = start(tmp.resolve("conformance.json"));
                Sdk definitionsOnly = ConformanceContexts.definitionsOnly(tmp.resolve("offline.json"))) {
            Flags server = online.module(FlagsModule.class).flags();
            Flags noServer = definitionsOnly.module(FlagsModule.class).flags();
            java.util.Set<String> names = noServer.knownFlags();
            assertThat(names).hasSize(31);
            assertThat(server.knownFlags()).containsAll(names);
            int compared = 0;
            for (FlagContext c : ConformanceContexts.random(1_000, 11)) {
                for (String flag : names) {
                    String expected = ConformanceContexts.bareAnswer(bare, flag, c);
                    assertThat(ConformanceContexts.sdkAnswer(server, flag, c)).as("server: %s for %s", flag, c)
                            .isEqualTo(expected);
                    assertThat(ConformanceContexts.sdkAnswer(noServer, flag, c)).as("no server: %s for %s", flag, c)
                            .isEqualTo(expected);
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(31_000);
        } finally {
            bare.shutdown();
        }
    }

    @Test
    @Order(6)
    void theServerCountsEveryEvaluationAndVariantExactlyWhenAnswersAreReused() throws Exception {
        String app = "reuse-" + System.nanoTime();
        Map<String, Long> variantsPayloads = new java.util.HashMap<>();
        Map<String, Long> userWithId = new java.util.HashMap<>();
        try (Sdk sdk = start(tmp.resolve("reuse.json"), app, Duration.ofSeconds(3600))) {
            Flags flags = sdk.module(FlagsModule.class).flags();
            for (int round = 0; round < 20; round++) {
                for (int u = 0; u < 50; u++) {
                    FlagContext c = FlagContext.user("u" + u).build();
                    FlagEvaluation e = flags.evaluate("variants_payloads", c);
                    variantsPayloads.merge(e.value() ? "yes" : "no", 1L, Long::sum);
                    variantsPayloads.merge("variant:" + e.variant(), 1L, Long::sum);
                    userWithId.merge(flags.isEnabled("ctx_user_with_id", c) ? "yes" : "no", 1L, Long::sum);
                }
            }
        }
        assertThat(variantsPayloads.get("yes")).isEqualTo(1_000);
        assertThat(userWithId.get("yes")).isEqualTo(3 * 20);
        UnleashAdmin admin = new UnleashAdmin();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(admin.usage(app, "variants_payloads")).containsAllEntriesOf(variantsPayloads);
            assertThat(admin.usage(app, "ctx_user_with_id")).containsAllEntriesOf(userWithId);
        });
    }

    @Test
    @Order(7)
    void openFeatureEventsFollowTheServerAndItsChanges() throws Exception {
        UnleashAdmin admin = new UnleashAdmin();
        try (Sdk sdk = start(tmp.resolve("events.json"))) {
            dev.openfeature.sdk.OpenFeatureAPI api = dev.openfeature.sdk.OpenFeatureAPI.getInstance();
            api.setProviderAndWait("flags-it-events",
                    new io.spaghetti.sdk.flags.openfeature.SpaghettiFlagsProvider(sdk.module(FlagsModule.class).flags()));
            dev.openfeature.sdk.Client client = api.getClient("flags-it-events");
            List<List<String>> changed = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicInteger stale = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger ready = new java.util.concurrent.atomic.AtomicInteger();
            client.onProviderConfigurationChanged(e -> changed.add(e.getFlagsChanged()));
            client.onProviderStale(e -> stale.incrementAndGet());
            client.onProviderReady(e -> ready.incrementAndGet());
            admin.toggle("op_in", false);
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> changed.stream().anyMatch(c -> c.contains("op_in")));
                assertThat(client.getBooleanDetails("op_in", true, new dev.openfeature.sdk.MutableContext("u1"))
                        .getReason()).isEqualTo("DISABLED");
            } finally {
                admin.toggle("op_in", true);
            }
            stopServer();
            int readyWhileStale;
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> stale.get() == 1);
                assertThat(client.getProviderState()).isEqualTo(dev.openfeature.sdk.ProviderState.STALE);
                readyWhileStale = ready.get();
            } finally {
                startServer();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> ready.get() > readyWhileStale);
            assertThat(client.getProviderState()).isEqualTo(dev.openfeature.sdk.ProviderState.READY);
            api.shutdown();
        }
    }

    @Test
    @Order(8)
    void aRefusedTokenIsAnOpenFeatureErrorWhileTheLastStateStillAnswers() throws Exception {
        SdkConfig config = SdkConfig.loader().yaml("t", """
                redis:
                  enabled: false
                flags:
                  url: %s
                  apiToken: value:*:development.not-a-real-token
                  pollInterval: 1s
                  backupFile: %s
                """.formatted(StackEnv.require("STACK_UNLEASH_URL"), tmp.resolve("refused.json")))
                .environment(Map.of()).systemProperties(new Properties()).load();
        try (Sdk sdk = Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new FlagsModule())).build()) {
            dev.openfeature.sdk.OpenFeatureAPI api = dev.openfeature.sdk.OpenFeatureAPI.getInstance();
            List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            // handler first: one added while the provider is already in ERROR runs at once, without the details
            dev.openfeature.sdk.Client client = api.getClient("flags-it-refused");
            client.onProviderError(e -> errors.add(String.valueOf(e.getMessage())));
            api.setProviderAndWait("flags-it-refused",
                    new io.spaghetti.sdk.flags.openfeature.SpaghettiFlagsProvider(sdk.module(FlagsModule.class).flags()));
            // the initial fetch was refused before the provider listened: it learns it when it starts listening
            await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
            assertThat(client.getProviderState()).isEqualTo(dev.openfeature.sdk.ProviderState.ERROR);
            await().atMost(Duration.ofSeconds(10)).until(() -> String.join(" ", errors).contains("refused the API token"));
            assertThat(String.join(" ", errors)).doesNotContain("not-a-real-token");
            assertThat(client.getBooleanDetails("advanced_search", false, new dev.openfeature.sdk.MutableContext("u"))
                    .getErrorCode()).isNull();
        }
    }

    private static DefaultUnleash bareClient() {
        return new DefaultUnleash(UnleashConfig.builder().appName("bare-client")
                .unleashAPI(StackEnv.require("STACK_UNLEASH_URL")).apiKey(StackEnv.require("STACK_UNLEASH_CLIENT_TOKEN"))
                .synchronousFetchOnInitialisation(true).disableMetrics().build());
    }

    private static FlagContext context(int i) {
        return FlagContext.user("user-" + i).group(GROUPS.get(i % GROUPS.size())).build();
    }

    private static FlagContext firstEnabled(Flags flags, String flag, String group) {
        for (int i = 0; ; i++) {
            FlagContext c = FlagContext.user("user-" + i).group(group).build();
            if (flags.isEnabled(flag, c)) {
                return c;
            }
        }
    }

    private static void admin(String flag, String onOff) throws Exception {
        String base = StackEnv.require("STACK_UNLEASH_URL");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                        + "/admin/projects/default/features/" + flag + "/environments/development/" + onOff))
                .header("Authorization", StackEnv.require("STACK_UNLEASH_ADMIN_TOKEN"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static void stopServer() throws Exception {
        long pid = Long.parseLong(Files.readString(Path.of(StackEnv.require("STACK_UNLEASH_PID_FILE"))).trim());
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            p.onExit().join();
        });
    }

    private static void startServer() {
        StackEnv.stackScript("up", "unleash");
    }

}
