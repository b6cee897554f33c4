package io.spaghetti.sdk.flags.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The platform's flag definitions in Unleash's export format (the file the stack imports into the
 * server), turned into the client-features document the Unleash client takes as bootstrap, so a
 * service with no server answers exactly as the server would.
 */
public final class FlagDefinitions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String clientFeaturesJson;
    private final Map<String, Boolean> percentageRollout;
    private final Map<String, Set<String>> targetedGroups;

    private FlagDefinitions(String clientFeaturesJson, Map<String, Boolean> percentageRollout,
            Map<String, Set<String>> targetedGroups) {
        this.clientFeaturesJson = clientFeaturesJson;
        this.percentageRollout = percentageRollout;
        this.targetedGroups = targetedGroups;
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
        Map<String, ObjectNode> features = new LinkedHashMap<>();
        Map<String, Boolean> rollout = new LinkedHashMap<>();
        Map<String, Set<String>> groups = new LinkedHashMap<>();
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
            out.put("stale", false);
            out.putArray("strategies");
            out.putArray("variants");
            features.put(name, out);
            rollout.put(name, false);
            i++;
        }
        for (JsonNode env : root.path("featureEnvironments")) {
            String name = env.path("featureName").asText(env.path("name").asText());
            ObjectNode f = features.get(name);
            if (f == null) {
                throw invalid(location, "featureEnvironments names unknown feature '" + name + "'");
            }
            if (environment.equals(env.path("environment").asText(environment))) {
                f.put("enabled", env.path("enabled").asBoolean());
            }
        }
        for (JsonNode s : root.path("featureStrategies")) {
            String name = s.path("featureName").asText("");
            ObjectNode f = features.get(name);
            if (f == null) {
                throw invalid(location, "featureStrategies names unknown feature '" + name + "'");
            }
            if (!environment.equals(s.path("environment").asText(environment))) {
                continue;
            }
            if (!s.path("name").isTextual()) {
                throw invalid(location, "a strategy of '" + name + "' has no name");
            }
            ObjectNode strategy = ((ArrayNode) f.get("strategies")).addObject();
            strategy.put("name", s.get("name").asText());
            strategy.set("parameters", s.path("parameters").isObject() ? s.get("parameters") : JSON.createObjectNode());
            strategy.set("constraints", s.path("constraints").isArray() ? s.get("constraints") : JSON.createArrayNode());
            String pct = s.path("parameters").path("rollout").asText("100");
            rollout.merge(name, !"100".equals(pct), Boolean::logicalOr);
            for (JsonNode c : s.path("constraints")) {
                if ("groups".equals(c.path("contextName").asText())) {
                    c.path("values").forEach(v -> groups.computeIfAbsent(name, k -> new java.util.HashSet<>())
                            .add(v.asText().replace(",", "")));
                }
            }
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.put("version", 2);
        ArrayNode list = doc.putArray("features");
        features.values().forEach(list::add);
        return new FlagDefinitions(doc.toString(), Map.copyOf(rollout), Map.copyOf(groups));
    }

    /** The client-features JSON for the Unleash client's bootstrap. */
    public String clientFeaturesJson() {
        return clientFeaturesJson;
    }

    public Set<String> names() {
        return percentageRollout.keySet();
    }

    /** Whether a strategy of this flag rolls out by percentage (so a decision is a split). */
    public boolean hasPercentageRollout(String flag) {
        return percentageRollout.getOrDefault(flag, false);
    }

    /** Whether a group constraint of this flag names {@code group}. */
    public boolean targetsGroup(String flag, String group) {
        return targetedGroups.getOrDefault(flag, Set.of()).contains(group);
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
