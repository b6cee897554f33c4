package io.spaghetti.sdk.flags.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flag definitions in Unleash's export format (the file the stack imports into the server), turned into the
 * client-features document the Unleash client takes as bootstrap, so a service with no server answers exactly as
 * one with the server would. Everything the format holds is kept: strategies in their sort order (disabled ones
 * dropped, as the server does), constraints with every operator and option, strategy variants, segments, feature
 * variants per environment, dependencies and impression data.
 *
 * <p>An export lists a segment by id and name only; for the no-server route give each segment its
 * {@code constraints} too (the server's import ignores them).
 */
public final class FlagDefinitions {
    private static final ObjectMapper JSON = SdkJson.mapper();

    private final String clientFeaturesJson;

    private FlagDefinitions(String clientFeaturesJson) {
        this.clientFeaturesJson = clientFeaturesJson;
    }

    /**
     * Reads {@code classpath:...} or a file path.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static FlagDefinitions load(String location, String environment) {
        String text = read(location);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw invalid(location, "is not valid JSON" + where + " (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.path("features").isArray()) {
            throw invalid(location, "has no 'features' list (expected Unleash's export format)");
        }
        Map<String, ObjectNode> features = features(location, root);
        environments(location, root, environment, features);
        strategies(location, root, environment, features);
        dependencies(location, root, features);
        ObjectNode doc = JSON.createObjectNode();
        doc.put("version", 2);
        ArrayNode list = doc.putArray("features");
        features.values().forEach(list::add);
        doc.set("segments", segments(location, root, features));
        return new FlagDefinitions(doc.toString());
    }

    private static Map<String, ObjectNode> features(String location, JsonNode root) {
        Map<String, ObjectNode> features = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode f : root.get("features")) {
            String name = f.path("name").asText("");
            if (name.isBlank()) {
                throw invalid(location, "features[" + i + "] has no name");
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("name", name);
            out.put("type", f.path("type").asText("release"));
            out.put("project", f.path("project").asText("default"));
            out.put("enabled", f.path("enabled").asBoolean(true));
            out.put("stale", f.path("stale").asBoolean(false));
            out.put("impressionData", f.path("impressionData").asBoolean(false));
            out.putArray("strategies");
            // older exports carry the variants on the feature, newer ones per environment
            out.set("variants", byName(f.path("variants")));
            features.put(name, out);
            i++;
        }
        return features;
    }

    private static void environments(String location, JsonNode root, String environment,
            Map<String, ObjectNode> features) {
        for (JsonNode env : root.path("featureEnvironments")) {
            ObjectNode f = feature(location, "featureEnvironments", env.path("featureName").asText(
                    env.path("name").asText()), features);
            if (environment.equals(env.path("environment").asText(environment))) {
                f.put("enabled", env.path("enabled").asBoolean());
                if (env.path("variants").isArray()) {
                    f.set("variants", byName(env.get("variants")));
                }
            }
        }
    }

    private static void strategies(String location, JsonNode root, String environment,
            Map<String, ObjectNode> features) {
        List<JsonNode> sorted = new ArrayList<>();
        root.path("featureStrategies").forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(s -> s.path("sortOrder").asInt(0)));
        for (JsonNode s : sorted) {
            ObjectNode f = feature(location, "featureStrategies", s.path("featureName").asText(""), features);
            if (!environment.equals(s.path("environment").asText(environment)) || s.path("disabled").asBoolean()) {
                continue;
            }
            if (!s.path("name").isTextual()) {
                throw invalid(location, "a strategy of '" + f.get("name").asText() + "' has no name");
            }
            ObjectNode strategy = ((ArrayNode) f.get("strategies")).addObject();
            strategy.put("name", s.get("name").asText());
            strategy.set("parameters", s.path("parameters").isObject() ? s.get("parameters").deepCopy()
                    : JSON.createObjectNode());
            strategy.set("constraints", s.path("constraints").isArray() ? s.get("constraints").deepCopy()
                    : JSON.createArrayNode());
            strategy.set("segments", s.path("segments").isArray() ? s.get("segments").deepCopy()
                    : JSON.createArrayNode());
            strategy.set("variants", byName(s.path("variants")));
        }
    }

    private static void dependencies(String location, JsonNode root, Map<String, ObjectNode> features) {
        for (JsonNode d : root.path("dependencies")) {
            ObjectNode child = feature(location, "dependencies", d.path("feature").asText(""), features);
            ArrayNode out = child.putArray("dependencies");
            for (JsonNode parent : d.path("dependencies")) {
                feature(location, "dependencies of '" + child.get("name").asText() + "'",
                        parent.path("feature").asText(""), features);
                ObjectNode p = out.addObject();
                p.put("feature", parent.get("feature").asText());
                p.put("enabled", parent.path("enabled").asBoolean(true));
                if (parent.path("variants").isArray() && !parent.get("variants").isEmpty()) {
                    p.set("variants", parent.get("variants").deepCopy());
                }
            }
        }
    }

    /** The segments the strategies use, each with its constraints. */
    private static ArrayNode segments(String location, JsonNode root, Map<String, ObjectNode> features) {
        Map<Integer, JsonNode> declared = new LinkedHashMap<>();
        root.path("segments").forEach(s -> declared.put(s.path("id").asInt(), s));
        ArrayNode out = JSON.createArrayNode();
        java.util.Set<Integer> used = new java.util.TreeSet<>();
        features.values().forEach(f -> f.get("strategies").forEach(s -> s.get("segments")
                .forEach(id -> used.add(id.asInt()))));
        for (int id : used) {
            JsonNode s = declared.get(id);
            if (s == null) {
                throw invalid(location, "a strategy uses segment " + id + ", which 'segments' does not list");
            }
            if (!s.path("constraints").isArray()) {
                throw invalid(location, "segment " + id + " ('" + s.path("name").asText() + "') has no constraints"
                        + " (an export lists segments by name only: add the segment's constraints for the"
                        + " no-server route)");
            }
            ObjectNode seg = out.addObject();
            seg.put("id", id);
            seg.put("name", s.path("name").asText());
            seg.set("constraints", s.get("constraints").deepCopy());
        }
        return out;
    }

    /**
     * The server keeps variants sorted by name, and the client picks a variant by walking their weights in order:
     * sorted here too, a user gets the variant the server would give.
     */
    private static ArrayNode byName(JsonNode variants) {
        List<JsonNode> sorted = new ArrayList<>();
        variants.forEach(sorted::add);
        sorted.sort(Comparator.comparing(v -> v.path("name").asText()));
        ArrayNode out = JSON.createArrayNode();
        sorted.forEach(v -> out.add(v.deepCopy()));
        return out;
    }

    private static ObjectNode feature(String location, String where, String name, Map<String, ObjectNode> features) {
        ObjectNode f = features.get(name);
        if (f == null) {
            throw invalid(location, where + " names unknown feature '" + name + "'");
        }
        return f;
    }

    /** The client-features JSON for the Unleash client's bootstrap. */
    public String clientFeaturesJson() {
        return clientFeaturesJson;
    }

    private static String read(String location) {
        try {
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
                try (InputStream in = FlagDefinitions.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw invalid(location, "is not on the classpath");
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(Path.of(location), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw invalid(location, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static IllegalArgumentException invalid(String location, String problem) {
        return new IllegalArgumentException("Flag definitions " + location + " " + problem
                + ". Fix the file, or point flags.definitions at a valid Unleash export.");
    }
}
