package io.spaghetti.sdk.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spaghetti.sdk.core.json.SdkJson;
import java.time.Duration;
import java.util.List;

/** The SDK's health: the worst module status, and each module's own. */
public record HealthReport(HealthStatus status, List<ModuleHealth> modules) {
    private static final ObjectMapper JSON = SdkJson.mapper();

    public HealthReport {
        modules = List.copyOf(modules);
    }

    /**
     * @param required whether a DOWN here makes the SDK DOWN (an optional module's failure is DEGRADED)
     * @param latency  how long the check took
     */
    public record ModuleHealth(String module, HealthStatus status, String reason, boolean required, Duration latency,
            java.util.Map<String, Object> details) {
    }

    public ModuleHealth module(String name) {
        return modules.stream().filter(m -> m.module().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no module named " + name));
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", status.name());
        ObjectNode mods = root.putObject("modules");
        for (ModuleHealth m : modules) {
            ObjectNode n = mods.putObject(m.module());
            n.put("status", m.status().name());
            if (m.reason() != null) {
                n.put("reason", m.reason());
            }
            n.put("required", m.required());
            n.put("latencyMs", m.latency().toNanos() / 1e6);
            n.set("details", JSON.valueToTree(m.details()));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
