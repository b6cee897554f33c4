package io.spaghetti.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Timer;
import io.spaghetti.sdk.backplane.Presence;
import io.spaghetti.sdk.signalr.Hub;
import io.spaghetti.sdk.signalr.HubCaller;
import io.spaghetti.sdk.signalr.HubException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The document-collaboration hub at {@code /hubs/documents}. Its contract, which other tools rely on:
 * {@code JoinDocument(documentId)} adds the caller to the document's group and returns the presence list;
 * {@code SendChange(documentId, change)} (any JSON object) calls {@code DocumentChanged(documentId, change)}
 * on every other member of the group, on every server; {@code LeaveDocument(documentId)}.
 */
public final class DocumentHub implements Hub {
    /** The hub's name on the backplane: the .NET hub's type name, so .NET servers share it. */
    public static final String NAME = "Spaghetti.Collaboration.DocumentHub";
    public static final String PATH = "/hubs/documents";

    /** The change revisions this server stamped, per document (last writer wins; a real service keeps them in its store). */
    private final Map<String, AtomicLong> revisions = new ConcurrentHashMap<>();

    public List<Map<String, Object>> joinDocument(HubCaller caller, String documentId) {
        caller.joinGroup(Collaboration.group(validId(documentId))).join();
        return caller.hub().presence(Collaboration.group(documentId)).stream().map(DocumentHub::describe).toList();
    }

    public void sendChange(HubCaller caller, String documentId, JsonNode change) {
        if (change == null || !change.isObject()) {
            throw new HubException("SendChange takes a JSON object as the change, e.g. {\"text\":\"...\"}");
        }
        Timer.Sample merging = Timer.start();
        ObjectNode stamped = ((ObjectNode) change).deepCopy();
        stamped.put("revision", revisions.computeIfAbsent(validId(documentId), d -> new AtomicLong()).incrementAndGet());
        stamped.put("by", caller.userId() == null ? "anonymous" : caller.userId());
        merging.stop(caller.conflictResolution());
        caller.sendOthersInGroup(Collaboration.group(documentId), "DocumentChanged", documentId, stamped).join();
    }

    public void leaveDocument(HubCaller caller, String documentId) {
        caller.leaveGroup(Collaboration.group(validId(documentId))).join();
    }

    private static String validId(String documentId) {
        if (documentId == null || !documentId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new HubException("A document id is 1 to 64 letters, digits, '-' or '_'");
        }
        return documentId;
    }

    private static Map<String, Object> describe(Presence p) {
        return Map.of("userId", p.userId() == null ? "anonymous" : p.userId(), "connectionId", p.connectionId(),
                "server", p.serverName());
    }
}
