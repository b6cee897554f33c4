package io.spaghetti.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.assets.Assets;
import io.spaghetti.sdk.core.config.SdkConfig;
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
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes the running example service; then every expression of every bundled
 * rule and of every dashboard panel must parse in Prometheus, and every metric it names must exist
 * in what was scraped (or be a recording rule's output).
 */
class PrometheusScrapeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Identifiers that are PromQL words, not metric names. */
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "le", "inf", "nan");

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void everyRuleAndDashboardExpressionParsesAndNamesOnlyMetricsTheServiceEmits() throws Exception {
        PrometheusRulesIT.requireTool("prometheus");
        SdkConfig config = StackConfig.load();
        try (ExampleService service = new ExampleService(Sdk.bootstrap(config), 0)) {
            String base = "http://127.0.0.1:" + service.port();
            // Unique per run (the AI cache keeps answers in Redis across runs): a provider call, then a cache hit.
            String summarized = "First sentence " + System.nanoTime() + ". Second one.";
            post(base + "/ai/summarize", summarized);
            post(base + "/ai/summarize", summarized);
            post(base + "/ai/summarize", "");
            post(base + "/search/documents?tenant=prom", "{\"id\":\"p1\",\"title\":\"Prometheus\",\"body\":\"scrape\",\"tags\":[]}");
            http.send(HttpRequest.newBuilder(URI.create(base + "/search?tenant=prom&q=scrape")).build(),
                    HttpResponse.BodyHandlers.discarding());
            post(base + "/search/clicks?tenant=prom&position=1", "");
            // the collaboration hub exists once used; the profile endpoint wraps a data key
            http.send(HttpRequest.newBuilder(URI.create(base + "/documents/prom/presence")).build(),
                    HttpResponse.BodyHandlers.discarding());
            post(base + "/documents/prom/notify?user=u", "hello");
            post(base + "/profiles/p1?tenant=prom", "{\"name\":\"n\",\"email\":\"e@example.com\",\"phone\":\"+1 555 0100\"}");

            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            StringBuilder rules = new StringBuilder();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files: [ "*-rules.yml" ]
                    scrape_configs:
                      - job_name: example-service
                        metrics_path: /metrics
                        static_configs:
                          - targets: [ "127.0.0.1:%d" ]
                    """.formatted(service.port()));
            for (String name : PrometheusRulesIT.RULE_FILES) {
                String text = Assets.readString("monitoring/prometheus/" + name + ".yml");
                Files.writeString(dir.resolve(name + ".yml"), text);
                rules.append(text).append('\n');
            }
            Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String api = "http://127.0.0.1:" + port + "/api/v1/";
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    JsonNode r = get(api + "query?query=" + enc("up{job=\"example-service\"}"));
                    return r != null && r.at("/data/result/0/value/1").asText().equals("1");
                });
                Set<String> names = new LinkedHashSet<>();
                JSON.readTree(get(api + "label/__name__/values").toString()).path("data")
                        .forEach(n -> names.add(n.asText()));

                Set<String> exprs = new LinkedHashSet<>();
                Matcher m = Pattern.compile("(?m)^\\s+expr: (.+)$").matcher(rules);
                while (m.find()) {
                    exprs.add(m.group(1));
                }
                int ruleExprs = exprs.size();
                for (String dashboard : Assets.list("monitoring/grafana/", ".json")) {
                    JSON.readTree(Assets.read(dashboard)).path("panels").forEach(p -> p.path("targets")
                            .forEach(t -> exprs.add(t.path("expr").asText().replace("$service", ".*"))));
                }
                assertThat(ruleExprs).isGreaterThanOrEqualTo(20);
                assertThat(exprs.size() - ruleExprs).as("dashboard panel queries").isGreaterThanOrEqualTo(30);
                Set<String> recorded = new LinkedHashSet<>();
                Matcher rec = Pattern.compile("(?m)^\\s+- record: (\\S+)$").matcher(rules);
                while (rec.find()) {
                    recorded.add(rec.group(1));
                }
                for (String expr : exprs) {
                    JsonNode r = get(api + "query?query=" + enc(expr));
                    assertThat(r.path("status").asText()).as("Prometheus rejects: " + expr + " -> " + r).isEqualTo("success");
                    for (String name : metricNames(expr)) {
                        if (!recorded.contains(name)) {
                            assertThat(names).as("metric %s used by %s is not emitted", name, expr).contains(name);
                        }
                    }
                }
            } finally {
                prometheus.destroy();
                prometheus.waitFor();
            }
        }
    }

    /**
     * The metric names in a PromQL expression: identifiers left once label matchers, grouping
     * clauses, ranges, strings, numbers, function calls, keywords and recording-rule names
     * (level:metric:operation) are taken out.
     */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
                .replaceAll("[a-zA-Z_]+:[a-zA-Z0-9_]+:[a-zA-Z0-9_]+", "");
        Set<String> out = new LinkedHashSet<>();
        Matcher id = Pattern.compile("\\b([a-zA-Z_][a-zA-Z0-9_]*)\\b(\\s*\\()?").matcher(s);
        while (id.find()) {
            String name = id.group(1);
            if (id.group(2) == null && !PROMQL_WORDS.contains(name.toLowerCase()) && !name.matches("\\d.*")) {
                out.add(name);
            }
        }
        return out;
    }

    private void post(String url, String body) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", url.contains("/ai/") || url.contains("/notify")
                ? "text/plain" : "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
