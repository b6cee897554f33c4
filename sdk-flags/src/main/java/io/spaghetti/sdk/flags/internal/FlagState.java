package io.spaghetti.sdk.flags.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spaghetti.sdk.core.json.SdkJson;
import io.spaghetti.sdk.flags.FlagContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the SDK needs to know about the state the Unleash client evaluates (its client-features JSON): which flags
 * exist, which are switched on, which decide by percentage, and which answer the same every time for the same
 * context, so their answers may be reused.
 */
final class FlagState {
    private static final ObjectMapper JSON = SdkJson.mapper();
    /** Built-in strategies whose answer depends on the context and the state only. */
    private static final Set<String> PURE_STRATEGIES = Set.of("default", "flexibleRollout", "userWithId",
            "remoteAddress", "applicationHostname", "gradualRolloutUserId", "gradualRolloutSessionId");
    static final FlagState EMPTY = new FlagState(Map.of(), Map.of());

    /**
     * @param split         a strategy rolls out by percentage or variants split by weight
     * @param reusable      the same context always gets the same answer
     * @param needsStickyId reusable only for a context with a user or session id (default stickiness; without
     *                      either the client picks at random)
     * @param usesClock     a date constraint reads the clock unless the context carries a current time
     */
    record Flag(boolean enabled, boolean split, boolean reusable, boolean needsStickyId, boolean usesClock) {
        boolean reusableFor(FlagContext c) {
            return reusable && (!needsStickyId || c.userId() != null || c.sessionId() != null)
                    && (!usesClock || c.currentTime() != null);
        }
    }

    private final Map<String, Flag> flags;
    /** Each feature as the state holds it, segments resolved, to tell which changed. */
    private final Map<String, JsonNode> definitions;

    private FlagState(Map<String, Flag> flags, Map<String, JsonNode> definitions) {
        this.flags = flags;
        this.definitions = definitions;
    }

    /** @throws IllegalArgumentException when the text is not client-features JSON */
    static FlagState parse(String clientFeaturesJson) {
        JsonNode root;
        try {
            root = JSON.readTree(clientFeaturesJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("not client-features JSON", e);
        }
        if (root == null || !root.path("features").isArray()) {
            throw new IllegalArgumentException("no features list in the client-features JSON");
        }
        Map<Integer, JsonNode> segments = new HashMap<>();
        root.path("segments").forEach(s -> segments.put(s.path("id").asInt(), s));
        Map<String, JsonNode> byName = new HashMap<>();
        root.get("features").forEach(f -> byName.put(f.path("name").asText(), f));
        Map<String, Flag> flags = new HashMap<>();
        byName.forEach((name, f) -> flags.put(name, analyse(f, segments)));
        // a child evaluates its parents: it is only as reusable as they are
        Map<String, Flag> resolved = new HashMap<>();
        byName.keySet().forEach(name -> resolved.put(name, withParents(name, byName, flags, 0)));
        Map<String, JsonNode> definitions = new HashMap<>();
        byName.forEach((name, f) -> {
            ObjectNode d = f.deepCopy();
            d.set("segments", JSON.valueToTree(usedSegments(f, segments)));
            definitions.put(name, d);
        });
        return new FlagState(Map.copyOf(resolved), Map.copyOf(definitions));
    }

    private static java.util.List<JsonNode> usedSegments(JsonNode feature, Map<Integer, JsonNode> segments) {
        java.util.List<JsonNode> used = new java.util.ArrayList<>();
        feature.path("strategies").forEach(s -> s.path("segments").forEach(id -> {
            JsonNode seg = segments.get(id.asInt());
            if (seg != null) {
                used.add(seg);
            }
        }));
        return used;
    }

    private static Flag analyse(JsonNode feature, Map<Integer, JsonNode> segments) {
        Analysis a = new Analysis();
        a.variants(feature.path("variants"));
        for (JsonNode s : feature.path("strategies")) {
            String name = s.path("name").asText();
            JsonNode p = s.path("parameters");
            String stickiness = p.path("stickiness").asText("default");
            boolean rollout = p.has("rollout") && !"100".equals(p.path("rollout").asText())
                    || p.has("percentage") && !"100".equals(p.path("percentage").asText());
            a.reusable &= PURE_STRATEGIES.contains(name) && !"random".equals(stickiness);
            a.split |= rollout;
            a.needsStickyId |= rollout && "default".equals(stickiness);
            a.variants(s.path("variants"));
            a.usesClock |= readsClock(s.path("constraints"));
            for (JsonNode id : s.path("segments")) {
                a.usesClock |= readsClock(segments.getOrDefault(id.asInt(), JSON.createObjectNode()).path("constraints"));
            }
        }
        return new Flag(feature.path("enabled").asBoolean(), a.split, a.reusable, a.needsStickyId, a.usesClock);
    }

    private static final class Analysis {
        boolean split;
        boolean reusable = true;
        boolean needsStickyId;
        boolean usesClock;

        /** Weighted variants: default stickiness falls back to random without an id; others are not reused. */
        void variants(JsonNode variants) {
            if (variants.size() < 2) {
                return;
            }
            split = true;
            for (JsonNode v : variants) {
                String stickiness = v.path("stickiness").asText("default");
                if ("default".equals(stickiness)) {
                    needsStickyId = true;
                } else {
                    reusable = false;
                }
            }
        }
    }

    private static Flag withParents(String name, Map<String, JsonNode> features, Map<String, Flag> flags, int depth) {
        Flag own = flags.get(name);
        if (own == null || depth > 16) {
            return new Flag(false, false, false, false, false);
        }
        boolean reusable = own.reusable();
        boolean needsStickyId = own.needsStickyId();
        boolean usesClock = own.usesClock();
        for (JsonNode d : features.get(name).path("dependencies")) {
            Flag parent = withParents(d.path("feature").asText(), features, flags, depth + 1);
            reusable &= parent.reusable();
            needsStickyId |= parent.needsStickyId();
            usesClock |= parent.usesClock();
        }
        return new Flag(own.enabled(), own.split(), reusable, needsStickyId, usesClock);
    }

    private static boolean readsClock(JsonNode constraints) {
        for (JsonNode c : constraints) {
            String op = c.path("operator").asText();
            if (op.startsWith("DATE_")) {
                return true;
            }
        }
        return false;
    }

    /** The flag, or null when the state does not know it. */
    Flag flag(String name) {
        return flags.get(name);
    }

    Set<String> names() {
        return flags.keySet();
    }

    /** Flags added, removed or changed since {@code previous}. */
    Set<String> changedSince(FlagState previous) {
        Set<String> changed = new java.util.TreeSet<>();
        definitions.forEach((name, d) -> {
            if (!d.equals(previous.definitions.get(name))) {
                changed.add(name);
            }
        });
        previous.definitions.keySet().stream().filter(n -> !definitions.containsKey(n)).forEach(changed::add);
        return changed;
    }
}
