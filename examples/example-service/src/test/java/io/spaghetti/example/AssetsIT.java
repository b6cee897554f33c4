package io.spaghetti.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.spaghetti.sdk.core.assets.Assets;
import io.spaghetti.sdk.core.assets.AssetsCommand;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every bundled infrastructure asset, exported by the one command and checked by the real tool
 * where there is one here: Kubernetes manifests parse into fabric8's typed models with no unknown
 * field, compose files pass docker-compose config, Redis configs load in redis-server, Alertmanager
 * config passes amtool and routes by severity, the scrape config passes promtool.
 */
class AssetsIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
            Map.entry("v1/PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
            Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("batch/v1/CronJob", CronJob.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy",
                    io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class));

    @TempDir
    Path dir;

    @BeforeEach
    void export() {
        int exit = new CommandLine(new AssetsCommand()).execute("export", dir.toString());
        assertThat(exit).isZero();
    }

    @Test
    void oneCommandExportsEveryModulesAssets() {
        List<String> all = Assets.list();
        assertThat(all).contains("k8s/elasticsearch.yaml", "k8s/redis.yaml", "k8s/app.yaml", "k8s/monitoring.yaml",
                "k8s/security.yaml", "elasticsearch/elasticsearch.yml", "elasticsearch/docker-compose.yml",
                "index-templates/document-template.json", "security/roles.yml", "redis/redis-cluster-node.conf",
                "redis/redis-sentinel.conf", "redis/docker-compose.yml", "azure/key-vault.bicep",
                "azure/managed-identity.bicep", "monitoring/docker-compose.yml", "monitoring/prometheus/prometheus.yml",
                "monitoring/alertmanager/alertmanager.yml", "monitoring/grafana/collaboration.json",
                "monitoring/grafana/search.json", "monitoring/grafana/ai-services.json",
                "monitoring/grafana/infrastructure.json", "monitoring/grafana/key-vault.json");
        for (String path : all) {
            assertThat(dir.resolve(path)).as(path).isRegularFile();
        }
    }

    @Test
    void kubernetesManifestsParseIntoTypedModelsWithNoUnknownField() throws Exception {
        Map<String, HasMetadata> byName = new LinkedHashMap<>();
        for (String path : Assets.list("k8s/", ".yaml")) {
            for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(Assets.read(path)).readAll()) {
                String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                Class<? extends HasMetadata> model = KINDS.get(type);
                assertThat(model).as("%s in %s has a typed model", type, path).isNotNull();
                HasMetadata resource = YAML.treeToValue(doc, model);
                assertNoUnknownFields(resource, path + " " + type + " " + resource.getMetadata().getName());
                byName.put(doc.path("kind").asText() + "/" + resource.getMetadata().getName(), resource);
            }
        }
        assertHpa(byName, "elasticsearch", 3, 10);
        assertHpa(byName, "redis-cluster", 6, 12);
        assertHpa(byName, "spaghetti-service", 3, 20);
        var es = ((HorizontalPodAutoscaler) byName.get("HorizontalPodAutoscaler/elasticsearch")).getSpec().getMetrics();
        assertThat(es).extracting(m -> m.getResource().getName() + "=" + m.getResource().getTarget().getAverageUtilization())
                .containsExactly("cpu=70", "memory=80");
        var app = ((HorizontalPodAutoscaler) byName.get("HorizontalPodAutoscaler/spaghetti-service")).getSpec().getMetrics();
        assertThat(app).filteredOn(m -> m.getPods() != null)
                .extracting(m -> m.getPods().getMetric().getName() + "=" + m.getPods().getTarget().getAverageValue().getAmount())
                .containsExactly("ai_queue_length=100", "ai_request_duration_seconds_p95=2");
        CronJob snapshot = (CronJob) byName.get("CronJob/elasticsearch-snapshot");
        assertThat(snapshot.getSpec().getSchedule()).isEqualTo("0 2 * * *");
        assertThat(snapshot.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anyMatch(e -> e.getName().equals("RETENTION_DAYS") && e.getValue().equals("30"));
        CronJob redisBackup = (CronJob) byName.get("CronJob/redis-backup");
        assertThat(redisBackup.getSpec().getSchedule()).isEqualTo("0 * * * *");
        assertThat(redisBackup.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anyMatch(e -> e.getName().equals("RETENTION_DAYS") && e.getValue().equals("7"));
        assertThat(byName.keySet()).filteredOn(k -> k.startsWith("NetworkPolicy/"))
                .contains("NetworkPolicy/default-deny", "NetworkPolicy/app", "NetworkPolicy/redis", "NetworkPolicy/elasticsearch");
    }

    private static void assertHpa(Map<String, HasMetadata> byName, String name, int min, int max) {
        HorizontalPodAutoscaler hpa = (HorizontalPodAutoscaler) byName.get("HorizontalPodAutoscaler/" + name);
        assertThat(hpa).as("HPA " + name).isNotNull();
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(min);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(max);
    }

    /** fabric8 keeps fields it does not know in additionalProperties: every one of them must be empty. */
    private static void assertNoUnknownFields(Object o, String where) throws Exception {
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.")) {
            if (o instanceof Collection<?> c) {
                for (Object item : c) {
                    assertNoUnknownFields(item, where);
                }
            } else if (o instanceof Map<?, ?> m) {
                for (Object item : m.values()) {
                    assertNoUnknownFields(item, where);
                }
            }
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value = getter.invoke(o);
            if (getter.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) value).as("unknown fields in %s (%s)", where, o.getClass().getSimpleName())
                        .isNullOrEmpty();
            } else {
                assertNoUnknownFields(value, where);
            }
        }
    }

    @Test
    void composeFilesPassDockerComposeConfig() throws Exception {
        PrometheusRulesIT.requireTool("docker-compose");
        List<String> composeFiles = Assets.list().stream().filter(p -> p.matches(".*docker-compose[^/]*\\.yml")).toList();
        assertThat(composeFiles).hasSizeGreaterThanOrEqualTo(4);
        for (String path : composeFiles) {
            Path file = dir.resolve(path);
            run(file.getParent(), "docker-compose", "-f", file.toString(), "config", "-q");
        }
    }

    @Test
    void redisConfigsLoadInRedisServer() throws Exception {
        PrometheusRulesIT.requireTool("redis-server");
        Path node = dir.resolve("redis/redis-cluster-node.conf");
        int port = freePort();
        Path work = Files.createDirectories(dir.resolve("redis-work"));
        Process server = new ProcessBuilder("redis-server", node.toString(), "--port", String.valueOf(port), "--bind",
                "127.0.0.1", "--dir", work.toString(), "--daemonize", "no", "--logfile", "")
                .redirectErrorStream(true).redirectOutput(work.resolve("node.log").toFile()).start();
        try {
            awaitPong(port, work.resolve("node.log"));
            assertThat(run(work, "redis-cli", "-p", String.valueOf(port), "info", "cluster")).contains("cluster_enabled:1");
            assertThat(run(work, "redis-cli", "-p", String.valueOf(port), "config", "get", "maxmemory-policy"))
                    .contains("volatile-lru");
            // Consistent with backplane.maxMessageSize: 64 messages of 1 MiB fit a subscriber's buffer.
            assertThat(run(work, "redis-cli", "-p", String.valueOf(port), "config", "get", "client-output-buffer-limit"))
                    .contains("pubsub 67108864 16777216 60");
        } finally {
            server.destroy();
            server.waitFor();
        }
        Path sentinelConf = work.resolve("sentinel.conf");
        Files.copy(dir.resolve("redis/redis-sentinel.conf"), sentinelConf);
        int sentinelPort = freePort();
        Process sentinel = new ProcessBuilder("redis-server", sentinelConf.toString(), "--sentinel", "--port",
                String.valueOf(sentinelPort), "--bind", "127.0.0.1", "--daemonize", "no", "--logfile", "")
                .redirectErrorStream(true).redirectOutput(work.resolve("sentinel.log").toFile()).start();
        try {
            awaitPong(sentinelPort, work.resolve("sentinel.log"));
            assertThat(run(work, "redis-cli", "-p", String.valueOf(sentinelPort), "sentinel", "masters"))
                    .contains("mymaster").contains("down-after-milliseconds").contains("5000");
        } finally {
            sentinel.destroy();
            sentinel.waitFor();
        }
    }

    @Test
    void alertmanagerConfigIsValidAndRoutesBySeverity() throws Exception {
        PrometheusRulesIT.requireTool("amtool");
        Path config = dir.resolve("monitoring/alertmanager/alertmanager.yml");
        assertThat(run(dir, "amtool", "check-config", config.toString())).contains("SUCCESS");
        Map<String, String> routes = Map.of("severity=critical", "on-call-pager", "severity=warning", "team-chat",
                "severity=info", "team-chat", "severity=high team=security", "security-team,team-chat");
        for (var route : routes.entrySet()) {
            List<String> command = new ArrayList<>(List.of("amtool", "config", "routes", "test",
                    "--config.file=" + config));
            command.addAll(List.of(route.getKey().split(" ")));
            assertThat(run(dir, command.toArray(String[]::new)).lines().reduce((a, b) -> b).orElse(""))
                    .as(route.getKey()).isEqualTo(route.getValue());
        }
    }

    @Test
    void scrapeConfigAndEveryRuleFilePassPromtool() throws Exception {
        PrometheusRulesIT.requireTool("promtool");
        Path prometheus = dir.resolve("monitoring/prometheus");
        String out = run(prometheus, "promtool", "check", "config", "prometheus.yml");
        assertThat(out).contains("SUCCESS");
        assertThat(out.split("SUCCESS").length - 1).as("config + every rule file").isGreaterThanOrEqualTo(8);
    }

    @Test
    void everyDashboardPanelHasAPrometheusQuery() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> dashboards = Assets.list("monitoring/grafana/", ".json");
        assertThat(dashboards).hasSize(5);
        for (String path : dashboards) {
            JsonNode d = json.readTree(Assets.read(path));
            assertThat(d.path("uid").asText()).as(path).isNotEmpty();
            assertThat(d.path("panels")).as(path).isNotEmpty();
            for (JsonNode panel : d.path("panels")) {
                assertThat(panel.path("targets")).as(path + " " + panel.path("title")).isNotEmpty();
                panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitPong(int port, Path log) throws Exception {
        for (int i = 0; i < 50; i++) {
            Process p = new ProcessBuilder("redis-cli", "-p", String.valueOf(port), "ping").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            if (out.contains("PONG")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("redis-server did not start with the bundled config:\n" + Files.readString(log));
    }

    private static String run(Path workDir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
