package io.spaghetti.sdk.flags;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real Unleash server's admin API: puts the flags of an export file on the server one call at a time (the
 * file import needs a personal token and cannot create segments), replacing earlier copies of them.
 */
final class UnleashAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "/admin/projects/default/features";
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base = StackEnv.require("STACK_UNLEASH_URL");
    private final String token = StackEnv.require("STACK_UNLEASH_ADMIN_TOKEN");

    void load(String classpathExport, String environment) throws Exception {
        JsonNode export;
        try (InputStream in = UnleashAdmin.class.getClassLoader().getResourceAsStream(classpathExport)) {
            export = JSON.readTree(in);
        }
        for (JsonNode field : export.path("contextFields")) {
            call("POST", "/admin/context", JSON.createObjectNode().put("name", field.path("name").asText()), 201, 409);
        }
        Map<Integer, Integer> segmentIds = segments(export.path("segments"));
        List<JsonNode> features = new ArrayList<>();
        export.path("features").forEach(features::add);
        Map<String, JsonNode> dependencies = new HashMap<>();
        export.path("dependencies").forEach(d -> dependencies.put(d.path("feature").asText(), d));
        // children first: a feature others depend on cannot be archived before them
        features.sort((a, b) -> Boolean.compare(!dependencies.containsKey(a.path("name").asText()),
                !dependencies.containsKey(b.path("name").asText())));
        for (JsonNode f : features) {
            String name = f.path("name").asText();
            if (call("GET", PROJECT + "/" + name, null, 200, 404).statusCode() == 200) {
                call("DELETE", PROJECT + "/" + name, null, 202, 200);
                call("DELETE", "/admin/archive/" + name, null, 200);
            }
        }
        for (JsonNode f : features) {
            String name = f.path("name").asText();
            call("POST", PROJECT, JSON.createObjectNode().put("name", name).put("type", "release")
                    .put("impressionData", f.path("impressionData").asBoolean()), 201);
        }
        String env = "/environments/" + environment;
        for (JsonNode e : export.path("featureEnvironments")) {
            if (e.path("variants").isArray() && !e.get("variants").isEmpty()) {
                call("PUT", PROJECT + "/" + e.path("featureName").asText() + env + "/variants", e.get("variants"), 200);
            }
        }
        for (JsonNode s : export.path("featureStrategies")) {
            ObjectNode body = ((ObjectNode) s.deepCopy());
            body.remove("featureName");
            ArrayNode segments = body.putArray("segments");
            s.path("segments").forEach(id -> segments.add(segmentIds.get(id.asInt())));
            call("POST", PROJECT + "/" + s.path("featureName").asText() + env + "/strategies", body, 200);
        }
        for (JsonNode e : export.path("featureEnvironments")) {
            call("POST", PROJECT + "/" + e.path("featureName").asText() + env + "/"
                    + (e.path("enabled").asBoolean() ? "on" : "off"), null, 200);
        }
        for (JsonNode d : export.path("dependencies")) {
            for (JsonNode parent : d.path("dependencies")) {
                call("POST", PROJECT + "/" + d.path("feature").asText() + "/dependencies", parent, 200);
            }
        }
    }

    /** Export segment id to server segment id, creating or updating each by name. */
    private Map<Integer, Integer> segments(JsonNode declared) throws Exception {
        Map<Integer, Integer> ids = new HashMap<>();
        JsonNode existing = JSON.readTree(call("GET", "/admin/segments", null, 200).body()).path("segments");
        for (JsonNode s : declared) {
            ObjectNode body = JSON.createObjectNode().put("name", s.path("name").asText());
            body.set("constraints", s.path("constraints"));
            Integer id = null;
            for (JsonNode e : existing) {
                if (e.path("name").asText().equals(s.path("name").asText())) {
                    id = e.path("id").asInt();
                }
            }
            if (id == null) {
                id = JSON.readTree(call("POST", "/admin/segments", body, 201).body()).path("id").asInt();
            } else {
                call("PUT", "/admin/segments/" + id, body, 204, 200);
            }
            ids.put(s.path("id").asInt(), id);
        }
        return ids;
    }

    /** Switches a flag on or off in development. */
    void toggle(String flag, boolean on) throws Exception {
        call("POST", PROJECT + "/" + flag + "/environments/development/" + (on ? "on" : "off"), null, 200);
    }

    /** The server's usage counts for one application: {@code yes}, {@code no} and each variant. */
    Map<String, Long> usage(String app, String flag) throws Exception {
        JsonNode data = JSON.readTree(call("GET", "/admin/client-metrics/features/" + flag + "/raw", null, 200)
                .body()).path("data");
        Map<String, Long> out = new HashMap<>();
        for (JsonNode n : data) {
            if (app.equals(n.path("appName").asText())) {
                out.merge("yes", n.path("yes").asLong(), Long::sum);
                out.merge("no", n.path("no").asLong(), Long::sum);
                n.path("variants").fields().forEachRemaining(v -> out.merge("variant:" + v.getKey(),
                        v.getValue().asLong(), Long::sum));
            }
        }
        return out;
    }

    private HttpResponse<String> call(String method, String path, JsonNode body, int... accepted) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", token)
                .header("Content-Type", "application/json").method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted).as(method + " " + path + ": " + r.body()).contains(r.statusCode());
        return r;
    }
}
