package io.spaghetti.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The example service as a newcomer runs it: against the local stack, and embedded with no services. */
class ExampleServiceIT {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(ExampleService service, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static SdkConfig config(Map<String, String> env) {
        return SdkConfig.loader().environment(env).systemProperties(new Properties()).load();
    }

    @Test
    void theCollaborationPageAndItsScriptAreReadyForACdn() throws Exception {
        try (ExampleService service = new ExampleService(Sdk.bootstrap(StackConfig.load()), 0)) {
            io.spaghetti.sdk.core.testing.CdnChecks.assertCdnCacheable(service.hubServerUri().toString(), "/collab",
                    "/collab/signalr.min.js");
        }
    }

    @Test
    void servesHealthAndMetricsAgainstTheStack() throws Exception {
        SdkConfig config = StackConfig.load();
        try (ExampleService service = new ExampleService(Sdk.bootstrap(config), 0)) {
            HttpResponse<String> health = get(service, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).startsWith("{\n  \"status\" : \"UP\"").contains("\"redis\"", "\"search\"",
                    "\"nodes\" : 3");
            String id = "d" + System.nanoTime();
            assertThat(get(service, "/documents/" + id).body())
                    .isEqualTo("{\"id\":\"" + id + "\",\"title\":\"Document " + id + "\"}");
            assertThat(get(service, "/documents/" + id).statusCode()).isEqualTo(200);
            assertThat(get(service, "/documents/bad%20id").statusCode()).isEqualTo(400);
            HttpResponse<String> flags = get(service, "/flags?user=user-1&groups=beta_users,power_users");
            assertThat(flags.statusCode()).isEqualTo(200);
            assertThat(flags.body()).contains("\"ai_document_generation\"", "\"advanced_search\"",
                    "\"real_time_collaboration\"", "\"reason\":\"DEFAULT\"", "\"variantEnabled\"");
            // a member the 20 % rollout includes is a SPLIT decision
            boolean split = false;
            for (int u = 0; u < 200 && !split; u++) {
                split = get(service, "/flags?user=user-" + u + "&groups=power_users").body()
                        .contains("\"reason\":\"SPLIT\"");
            }
            assertThat(split).isTrue();
            String tenant = "t" + System.nanoTime();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + service.port() + "/search/documents?tenant=" + tenant)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"id\":\"n1\",\"title\":\"Onboarding guide\",\"body\":\"How to start\",\"tags\":[\"hr\"]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(get(service, "/search?tenant=" + tenant + "&q=onboarding").body())
                    .contains("\"total\":1", "<em>Onboarding</em>", "\"hr\":1");
            assertThat(get(service, "/search?tenant=other" + tenant + "&q=onboarding").body()).contains("\"total\":0");
            HttpResponse<String> metrics = get(service, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("spaghetti_sdk_module_status{environment=\"dev\",instance=")
                    .contains("module=\"redis\",service=\"example-service\"} 1.0")
                    .containsPattern("cache_gets_total\\{cache=\"documents\",.*result=\"hit\".*tier=\"l1\"\\} 1.0")
                    .containsPattern("cache_gets_total\\{cache=\"documents\",.*result=\"miss\".*tier=\"l2\"\\} 1.0")
                    .contains("flags_evaluations_total{environment=\"dev\",flag=\"advanced_search\"")
                    .contains("search_query_duration_seconds_count{")
                    .doesNotContain(StackEnv.require("STACK_REDIS_PASSWORD"));
        }
    }

    @Test
    void embeddedModeNeedsNoServiceAndReportsDisabledModules() throws Exception {
        try (ExampleService service = new ExampleService(
                Sdk.bootstrap(config(Map.of("SPAGHETTI_REDIS_ENABLED", "false", "SPAGHETTI_SEARCH_ENABLED", "false",
                        "SPAGHETTI_SIGNALR_PORT", "0"))),
                0)) {
            HttpResponse<String> health = get(service, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\" : \"UP\"").contains("\"status\" : \"DISABLED\"");
            HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                    + "/profiles/p1?tenant=acme")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"name\":\"Alice\",\"email\":\"alice@example.com\",\"phone\":\"+4470000\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).isEqualTo(201);
            assertThat(stored.body()).contains("\"email\":\"sp1.").doesNotContain("alice@example.com");
            assertThat(get(service, "/profiles/p1?tenant=acme").body())
                    .isEqualTo("{\"name\":\"Alice\",\"email\":\"alice@example.com\",\"phone\":\"+4470000\"}");
            assertThat(get(service, "/profiles/p1?tenant=other").statusCode()).isEqualTo(404);
            HttpResponse<String> presence = get(service, "/documents/d1/presence");
            assertThat(presence.statusCode()).as("hubs live in memory without Redis").isEqualTo(200);
            assertThat(presence.body()).isEqualTo("[]");
        }
    }

    /** With the backplane off (or Redis down for it), the event stream answers 503 with the reason, never 200 and a close. */
    @Test
    void anEventStreamInAnOutageIsA503WithTheReason() throws Exception {
        try (ExampleService service = new ExampleService(
                Sdk.bootstrap(config(Map.of("SPAGHETTI_REDIS_ENABLED", "false", "SPAGHETTI_SEARCH_ENABLED", "false",
                        "SPAGHETTI_BACKPLANE_ENABLED", "false", "SPAGHETTI_SIGNALR_ENABLED", "false"))),
                0)) {
            HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                    + "/documents/d1/events?user=bob")).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(events.statusCode()).isEqualTo(503);
            assertThat(events.body()).contains("backplane module is not available");
            assertThat(get(service, "/documents/d1/presence").statusCode()).isEqualTo(503);
        }
    }

    /** Two instances: a stream on one receives a notification posted to the other, as curl would show. */
    @Test
    void aNotificationPostedToOneInstanceReachesAnEventStreamOnAnother() throws Exception {
        try (ExampleService a = new ExampleService(Sdk.bootstrap(StackConfig.load()), 0);
                ExampleService b = new ExampleService(Sdk.bootstrap(StackConfig.load()), 0)) {
            String doc = "d" + System.nanoTime();
            HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + b.port() + "/documents/" + doc + "/events?user=bob")).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            java.util.Iterator<String> lines = stream.body().iterator();
            assertThat(lines.next()).startsWith(": joined document:" + doc);
            assertThat(get(a, "/documents/" + doc + "/presence").body()).contains("\"userId\":\"bob\"");

            HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port()
                    + "/documents/" + doc + "/notify?user=alice")).header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("title changed"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).isEqualTo(202);
            String event = lines.next();
            while (event.isEmpty()) {
                event = lines.next();
            }
            assertThat(event).isEqualTo("event: DocumentChanged");
            assertThat(lines.next()).isEqualTo("data: [{\"document\":\"" + doc + "\",\"by\":\"alice\",\"message\":\"title changed\"}]");
            stream.body().close();
        }
    }
}
