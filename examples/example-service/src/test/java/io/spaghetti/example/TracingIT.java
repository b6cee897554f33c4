package io.spaghetti.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.testing.StackEnv;
import io.spaghetti.sdk.tracing.ZipkinTracingProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One request to instance A (this JVM) that reads through the cache, searches, decrypts a profile and notifies a
 * document group is ONE trace in the real Zipkin, down to the delivery on instance B (another JVM, started from
 * the same classpath), whose log line carries the trace id; a real Prometheus with exemplar storage holds that
 * trace id as the exemplar of {@code search_query_duration_seconds} (A) and {@code backplane_delivery_latency_seconds} (B).
 */
class TracingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void oneRequestIsOneTraceAcrossBothInstancesWithLogsAndExemplars() throws Exception {
        PrometheusRulesIT.requireTool("prometheus");
        String zipkin = StackEnv.require("STACK_ZIPKIN_URL");
        Map<String, String> env = new HashMap<>(StackConfig.environment());
        env.put("SPAGHETTI_TRACING_ZIPKIN_ENDPOINT", zipkin + "/api/v2/spans");
        SdkConfig configA = SdkConfig.loader().environment(env).systemProperties(new Properties()).load();

        int portB = freePort();
        Path logB = dir.resolve("b.log");
        Map<String, String> envB = new HashMap<>(env);
        envB.put("PORT", Integer.toString(portB));
        envB.put("SDK_LOG_LEVEL", "DEBUG");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), ExampleService.class.getName())
                .redirectErrorStream(true).redirectOutput(logB.toFile());
        pb.environment().putAll(envB);
        Process b = pb.start();
        try (ExampleService a = new ExampleService(Sdk.bootstrap(configA), 0)) {
            String baseA = "http://127.0.0.1:" + a.port();
            String baseB = "http://127.0.0.1:" + portB;
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!b.isAlive()) {
                    throw new AssertionError("instance B exited: " + Files.readString(logB));
                }
                return status(baseB + "/health") == 200;
            });

            String run = Long.toString(System.nanoTime(), 36);
            String tenant = "trace" + run;
            String document = "shared" + run;
            // B has a collaborator on the document: its delivery is what must join A's trace
            List<String> eventsOnB = new java.util.concurrent.CopyOnWriteArrayList<>();
            http.sendAsync(HttpRequest.newBuilder(URI.create(baseB + "/documents/" + document + "/events?user=bob"))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(r -> r.body().forEach(eventsOnB::add));
            await().atMost(Duration.ofSeconds(20)).until(() -> eventsOnB.stream().anyMatch(l -> l.contains("joined")));
            assertThat(post(baseA + "/profiles/p1?tenant=" + tenant,
                    "{\"name\":\"Alice\",\"email\":\"alice@example.com\",\"phone\":\"+1 555 0100\"}", Map.of())).isEqualTo(201);

            String traceId = HexFormat.of().formatHex(randomBytes(16));
            String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
            assertThat(post(baseA + "/documents/" + document + "/share?tenant=" + tenant + "&profile=p1", "",
                    Map.of("traceparent", traceparent))).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> eventsOnB.stream().anyMatch(l -> l.contains("Alice")));

            // ---- one trace in Zipkin, with the expected tree
            String instanceA = configA.service().instance();
            List<JsonNode> spans = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                spans.clear();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(zipkin + "/api/v2/trace/" + traceId))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                JSON.readTree(r.body()).forEach(spans::add);
                assertThat(names(spans)).contains("post /documents/{id}/share", "cache get documents", "search query",
                        "es/search", "backplane publish documentshared", "backplane delivery group");
            });
            JsonNode request = span(spans, "post /documents/{id}/share");
            assertThat(request.path("traceId").asText()).isEqualTo(traceId);
            assertThat(request.path("tags").path(ZipkinTracingProvider.INSTANCE_TAG).asText()).isEqualTo(instanceA);
            JsonNode cacheGet = span(spans, "cache get documents");
            JsonNode query = span(spans, "search query");
            JsonNode publish = span(spans, "backplane publish documentshared");
            assertThat(List.of(cacheGet, query, publish)).allSatisfy(s ->
                    assertThat(s.path("parentId").asText()).isEqualTo(request.path("id").asText()));
            // the client's request span lies under the SDK's search span (through the result cache's read, if any)
            JsonNode esSearch = span(spans, "es/search");
            assertThat(ancestors(spans, esSearch)).contains(query.path("id").asText());
            assertThat(esSearch.path("tags").path("db.system").asText()).isEqualTo("elasticsearch");
            // the delivery ran in the other process, as a child of A's publish
            JsonNode delivery = span(spans, "backplane delivery group");
            assertThat(delivery.path("parentId").asText()).isEqualTo(publish.path("id").asText());
            assertThat(delivery.path("tags").path(ZipkinTracingProvider.INSTANCE_TAG).asText())
                    .isNotEqualTo(instanceA).isNotEmpty();
            // the profile's data key came from the cache (an event on the request) or from the key service (a span)
            boolean unwrapped = names(spans).contains("crypto key unwrap");
            boolean cachedKey = StreamSupport.stream(request.path("annotations").spliterator(), false)
                    .anyMatch(an -> an.path("value").asText().contains("crypto.dek.cache.hit"));
            assertThat(unwrapped || cachedKey).as("an unwrap span or a data-key cache hit event").isTrue();

            // ---- B's SDK thread logged its delivery with the trace id
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readAllLines(logB))
                    .anyMatch(l -> l.contains("Delivering a group message") && l.contains("trace=" + traceId)));

            // ---- exemplars in a real Prometheus
            int promPort = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: example-service
                        metrics_path: /metrics
                        static_configs:
                          - targets: [ "127.0.0.1:%d", "127.0.0.1:%d" ]
                    """.formatted(a.port(), portB));
            Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort,
                    "--enable-feature=exemplar-storage").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String prom = "http://127.0.0.1:" + promPort;
                for (String metric : List.of("search_query_duration_seconds_bucket",
                        "backplane_delivery_latency_seconds_bucket")) {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                            assertThat(exemplarTraceIds(prom, metric)).as(metric).contains(traceId));
                }
            } finally {
                prometheus.destroy();
                prometheus.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            b.destroy();
            if (!b.waitFor(15, TimeUnit.SECONDS)) {
                b.destroyForcibly();
            }
        }
    }

    private List<String> exemplarTraceIds(String prom, String metric) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String url = prom + "/api/v1/query_exemplars?query=" + URLEncoder.encode(metric, StandardCharsets.UTF_8)
                + "&start=" + (now - 600) + "&end=" + (now + 60);
        JsonNode body = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        List<String> ids = new ArrayList<>();
        body.path("data").forEach(series -> series.path("exemplars").forEach(e ->
                ids.add(e.path("labels").path("trace_id").asText())));
        return ids;
    }

    private static List<String> names(List<JsonNode> spans) {
        return spans.stream().map(s -> s.path("name").asText()).toList();
    }

    private static JsonNode span(List<JsonNode> spans, String name) {
        return spans.stream().filter(s -> s.path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> ancestors(List<JsonNode> spans, JsonNode span) {
        Map<String, String> parentOf = new HashMap<>();
        spans.forEach(s -> parentOf.put(s.path("id").asText(), s.path("parentId").asText(null)));
        List<String> chain = new ArrayList<>();
        for (String p = span.path("parentId").asText(null); p != null; p = parentOf.get(p)) {
            chain.add(p);
        }
        return chain;
    }

    private int post(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception notYet) {
            return -1;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
