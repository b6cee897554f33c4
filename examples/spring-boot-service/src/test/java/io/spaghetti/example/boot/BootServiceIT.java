package io.spaghetti.example.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.testing.BadInputSuite;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the Boot example started with {@link org.springframework.boot.SpringApplication} against
 * the real stack (Elasticsearch, Unleash) and a Redis of this test's own, so that stopping it disturbs no
 * other test. Instance A treats Redis as optional (the default), instance B as required.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BootServiceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path NODE_MODULES = Path.of("../example-service/src/test/node/node_modules").toAbsolutePath();

    private static Path work;
    private static int redisPort;
    private static Process redis;
    private static ConfigurableApplicationContext a;
    private static ConfigurableApplicationContext b;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("boot-it");
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        startRedis();
        a = instance("a", false);
        b = instance("b", true);
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {a, b}) {
            if (c != null) {
                c.close();
            }
        }
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    private static void startRedis() throws Exception {
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(work.resolve("redis.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", redisPort)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** Secrets reach the SDK as file references, as a Kubernetes secret volume would give them. */
    private static String secretFile(String name, String value) throws IOException {
        Path file = work.resolve(name);
        Files.writeString(file, value);
        return "file:" + file;
    }

    private static ConfigurableApplicationContext instance(String name, boolean redisRequired) throws IOException {
        return new SpringApplicationBuilder(BootExampleApplication.class).run(
                "--server.port=0",
                "--spaghetti.service.instance=boot-it-" + name,
                "--spaghetti.health.interval=500ms", "--spaghetti.health.timeout=400ms",
                "--spaghetti.redis.addresses=127.0.0.1:" + redisPort,
                "--spaghetti.redis.required=" + redisRequired,
                "--spaghetti.search.hosts=" + StackEnv.require("STACK_ES_HOSTS"),
                "--spaghetti.search.ca-file=" + StackEnv.require("STACK_ES_CA_FILE"),
                "--spaghetti.search.username=" + StackEnv.require("STACK_ES_APP_USER"),
                "--spaghetti.search.password=" + secretFile("es-" + name, StackEnv.require("STACK_ES_APP_PASSWORD")),
                "--spaghetti.flags.url=" + StackEnv.require("STACK_UNLEASH_URL"),
                "--spaghetti.flags.api-token=" + secretFile("unleash-" + name, StackEnv.require("STACK_UNLEASH_CLIENT_TOKEN")),
                "--spaghetti.crypto.local.keystore=" + work.resolve("kek-" + name + ".p12"));
    }

    static String base(ConfigurableApplicationContext c) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) c).getWebServer().getPort();
    }

    static HttpResponse<String> get(ConfigurableApplicationContext c, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base(c) + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(ConfigurableApplicationContext c, String method, String path, String type,
            String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base(c) + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            r.header("Content-Type", type);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode health(ConfigurableApplicationContext c) throws Exception {
        return JSON.readTree(get(c, "/actuator/health").body());
    }

    /** A sample of the instance's /actuator/prometheus: the sum of the series of this name whose labels hold every given one. */
    static double metric(ConfigurableApplicationContext c, String name, String... labels) throws Exception {
        double sum = 0;
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(get(c, "/actuator/prometheus").body());
        while (m.find()) {
            String l = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= l.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    @Test
    @Order(1)
    void readinessIsUpWithEveryModuleAndOnlyRequiredModulesAreInIt() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 0; i < 4; i++) {
                // traffic that reaches L2 is what opens the cache's circuit to Redis
                assertThat(get(a, "/documents/outage-" + UUID.randomUUID().toString().substring(0, 8)).statusCode())
                        .as("the cache serves through the outage").isEqualTo(200);
            }
            JsonNode health = health(a);
            for (String module : List.of("spaghettiRedis", "spaghettiCache", "spaghettiSearch", "spaghettiBackplane",
                    "spaghettiSignalr", "spaghettiCrypto", "spaghettiFlags")) {
                assertThat(health.at("/components/" + module + "/status").asText()).as(module).isEqualTo("UP");
            }
        });
        HttpResponse<String> readyA = get(a, "/actuator/health/readiness");
        HttpResponse<String> readyB = get(b, "/actuator/health/readiness");
        assertThat(readyA.statusCode()).isEqualTo(200);
        assertThat(readyB.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(readyA.body()).path("components").has("spaghettiRedis")).isFalse();
        assertThat(JSON.readTree(readyB.body()).path("components").has("spaghettiRedis")).isTrue();
        assertThat(health(a).at("/components/spaghettiSearch/details/cluster").asText()).isNotEmpty();
    }

    @Test
    @Order(2)
    void theCollaborationPageAndItsScriptAreReadyForACdn() throws Exception {
        io.spaghetti.sdk.core.testing.CdnChecks.assertCdnCacheable(base(a), "/collab", "/collab/signalr.min.js");
    }

    @Test
    @Order(2)
    void aCacheableMethodLoadsOnceAndAnEvictionOnOneInstanceClearsTheOthersL1() throws Exception {
        String id = "doc-" + UUID.randomUUID().toString().substring(0, 8);
        double loadsA = metric(a, "example_documents_loads_total");
        double loadsB = metric(b, "example_documents_loads_total");
        assertThat(get(a, "/documents/" + id).body()).contains("Document " + id);
        assertThat(get(a, "/documents/" + id).statusCode()).isEqualTo(200);
        assertThat(get(b, "/documents/" + id).body()).contains("Document " + id);
        assertThat(metric(a, "example_documents_loads_total")).isEqualTo(loadsA + 1);
        assertThat(metric(b, "example_documents_loads_total")).as("B read A's value from L2").isEqualTo(loadsB);

        double received = metric(a, "cache_invalidations_total", "cache=\"documents\"", "direction=\"received\"");
        assertThat(send(b, "DELETE", "/documents/" + id + "/cache", null, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                metric(a, "cache_invalidations_total", "cache=\"documents\"", "direction=\"received\"") > received);
        get(a, "/documents/" + id);
        assertThat(metric(a, "example_documents_loads_total")).as("A's L1 was cleared by B's @CacheEvict")
                .isEqualTo(loadsA + 2);

        HttpResponse<String> renamed = send(b, "PUT", "/documents/" + id, "application/json", "{\"title\":\"Renamed\"}");
        assertThat(renamed.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> get(a, "/documents/" + id).body().contains("Renamed"));
    }

    @Test
    @Order(3)
    void aSignalRClientOfOneInstanceHearsANotificationPostedToTheOther() throws Exception {
        String id = "hub-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(NODE_MODULES.resolve("@microsoft/signalr")).as("npm ci in examples/example-service/src/test/node").exists();
        ProcessBuilder pb = new ProcessBuilder("node", Path.of("src/test/node/hub-listener.js").toAbsolutePath().toString(),
                base(a), id).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", NODE_MODULES.toString());
        Process node = pb.start();
        LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = node.inputReader(StandardCharsets.UTF_8)) {
                r.lines().forEach(l -> {
                    try {
                        events.add(JSON.readTree(l));
                    } catch (IOException notJson) {
                        events.add(JSON.createObjectNode().put("event", "output").put("data", l));
                    }
                });
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            JsonNode joined = events.poll(20, TimeUnit.SECONDS);
            assertThat(joined).as("the client joined").isNotNull();
            assertThat(joined.path("event").asText()).as(joined.toString()).isEqualTo("joined");
            assertThat(joined.at("/data/transport").asText()).isEqualTo("WebSocketTransport");
            assertThat(send(b, "POST", "/documents/" + id + "/notify?user=u1", "text/plain", "hello from B").statusCode())
                    .isEqualTo(202);
            JsonNode changed = events.poll(10, TimeUnit.SECONDS);
            assertThat(changed).as("the notification reached A's client").isNotNull();
            assertThat(changed.path("event").asText()).as(changed.toString()).isEqualTo("changed");
            assertThat(changed.at("/data/change/text").asText()).as(changed.toString()).isEqualTo("hello from B");
        } finally {
            node.destroyForcibly();
        }
    }

    /** The collaboration page in headless Chromium on A (Spring WebSocket, same origin) and the npm client in Node on B. */
    @Test
    @Order(6)
    void thePageInABrowserOnOneInstanceAndAClientOnTheOtherSeeEachOthersChanges() throws Exception {
        assertThat(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium")))
                .as("Debian's chromium (scripts/test.sh installs it)").exists();
        String doc = "page" + System.nanoTime();
        Process check = new ProcessBuilder("node", "browser-check.js", base(a) + "/collab", base(b) + DocumentHub.PATH, doc)
                .directory(NODE_MODULES.getParent().toFile()).redirectErrorStream(true).start();
        assertThat(check.waitFor(90, TimeUnit.SECONDS)).as("browser check finished").isTrue();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        JsonNode result = JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
        assertThat(result.path("ok").asBoolean()).as(out).isTrue();
        assertThat(result.path("received").path("change").path("text").asText()).isEqualTo("typed in the browser on A");
        assertThat(result.path("present").asInt()).isEqualTo(2);
    }

    @Test
    @Order(10)
    void redisDownDegradesTheCacheAndTakesOutOnlyTheInstanceThatRequiresIt() throws Exception {
        redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 0; i < 4; i++) {
                // traffic that reaches L2 is what opens the cache's circuit to Redis
                assertThat(get(a, "/documents/outage-" + UUID.randomUUID().toString().substring(0, 8)).statusCode())
                        .as("the cache serves through the outage").isEqualTo(200);
            }
            JsonNode health = health(a);
            assertThat(health.at("/components/spaghettiCache/status").asText()).isEqualTo("DEGRADED");
            assertThat(get(a, "/actuator/health").statusCode()).isEqualTo(200);
            assertThat(get(a, "/actuator/health/readiness").statusCode()).isEqualTo(200);
            HttpResponse<String> readyB = get(b, "/actuator/health/readiness");
            assertThat(readyB.statusCode()).as(readyB.body()).isEqualTo(503);
        });
        assertThat(get(b, "/actuator/health/liveness").statusCode()).as("liveness never depends on Redis").isEqualTo(200);

        startRedis();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(health(a).at("/components/spaghettiCache/status").asText()).isEqualTo("UP");
            assertThat(get(b, "/actuator/health/readiness").statusCode()).isEqualTo(200);
        });
    }

    /**
     * The bad-input table both examples answer (examples/bad-input-cases.tsv), and this one's own routes: every
     * bad request a 4xx with problem details naming the problem, nothing of it stored.
     */
    @Test
    @Order(4)
    void badInputIsAnswered4xxWithAMessageAndStoresNothing() throws Exception {
        List<BadInputSuite.Case> cases = new ArrayList<>(BadInputSuite.load(Path.of("../bad-input-cases.tsv")));
        cases.add(new BadInputSuite.Case("PUT", "/documents/d1", "application/json", "{\"title\":\"\"}", 400));
        cases.add(new BadInputSuite.Case("PUT", "/documents/d1", "application/json", "{\"title\":\"T\",\"id\":\"x\"}", 400));
        cases.add(new BadInputSuite.Case("POST", "/profiles/p1?tenant=t1", "application/json", "{}", 405));
        cases.add(new BadInputSuite.Case("GET", "/documents/d1/cache", null, null, 405));
        int port = ((WebServerApplicationContext) a).getWebServer().getPort();
        assertThat(BadInputSuite.run("127.0.0.1", port, cases)).as("bad input answered otherwise").isEmpty();
        assertThat(get(a, "/profiles/p1?tenant=t1").statusCode()).as("no bad profile was stored").isEqualTo(404);
        assertThat(JSON.readTree(get(a, "/search?tenant=t-bad-input").body()).path("total").asLong())
                .as("no bad document was indexed").isZero();
    }

    /** Clients that send half a body and stall hold no thread the service needs: health answers meanwhile. */
    @Test
    @Order(5)
    void clientsThatStallMidBodyDoNotStallTheService() throws Exception {
        int port = ((WebServerApplicationContext) a).getWebServer().getPort();
        List<java.net.Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                s.getOutputStream().write(("PUT /profiles/slow" + i + "?tenant=t1 HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":").getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                stalled.add(s);
            }
            long t0 = System.nanoTime();
            assertThat(get(a, "/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            for (java.net.Socket s : stalled) {
                s.setSoTimeout(20_000);
                // The server gives up on the body (server.tomcat.connection-timeout) and ends the exchange.
                byte[] answer = s.getInputStream().readNBytes(12);
                assertThat(answer.length == 0 || new String(answer, StandardCharsets.US_ASCII).matches("HTTP/1\\.1 4\\d\\d"))
                        .as("a 4xx or a closed connection, got '%s'", new String(answer, StandardCharsets.US_ASCII)).isTrue();
            }
        } finally {
            for (java.net.Socket s : stalled) {
                s.close();
            }
        }
        assertThat(get(a, "/profiles/slow0?tenant=t1").statusCode()).isEqualTo(404);
    }

}
