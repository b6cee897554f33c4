package io.spaghetti.example.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Timer;
import io.spaghetti.sdk.signalr.Hub;
import io.spaghetti.sdk.signalr.HubCaller;
import io.spaghetti.sdk.signalr.HubException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The document-collaboration hub at {@code /hubs/documents}, with the contract of the plain example's hub (the
 * same page and clients work on both): {@code JoinDocument(id)} returns the presence list, {@code SendChange(id,
 * change)} calls {@code DocumentChanged(id, change)} on the group's other members on every server,
 * {@code LeaveDocument(id)}.
 */
public final class DocumentHub implements Hub {
    public static final String NAME = "Spaghetti.Collaboration.DocumentHub";
    public static final String PATH = "/hubs/documents";

    private final Map<String, AtomicLong> revisions = new ConcurrentHashMap<>();

    static String group(String documentId) {
        return "document:" + Ids.document(documentId, HubException::new);
    }

    public List<Map<String, Object>> joinDocument(HubCaller caller, String documentId) {
        caller.joinGroup(group(documentId)).join();
        return caller.hub().presence(group(documentId)).stream()
                .map(p -> Map.<String, Object>of("userId", p.userId() == null ? "anonymous" : p.userId(),
                        "connectionId", p.connectionId(), "server", p.serverName()))
                .toList();
    }

    public void sendChange(HubCaller caller, String documentId, JsonNode change) {
        if (change == null || !change.isObject()) {
            throw new HubException("SendChange takes a JSON object as the change, e.g. {\"text\":\"...\"}");
        }
        String group = group(documentId);
        Timer.Sample merging = Timer.start();
        ObjectNode stamped = ((ObjectNode) change).deepCopy()
                .put("revision", revisions.computeIfAbsent(documentId, d -> new AtomicLong()).incrementAndGet())
                .put("by", caller.userId() == null ? "anonymous" : caller.userId());
        merging.stop(caller.conflictResolution());
        caller.sendOthersInGroup(group, "DocumentChanged", documentId, stamped).join();
    }

    public void leaveDocument(HubCaller caller, String documentId) {
        caller.leaveGroup(group(documentId)).join();
    }
}
