package io.spaghetti.sdk.signalr;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Timer;
import io.spaghetti.sdk.backplane.HubContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The connection a hub method runs for, and shortcuts to the hub's {@link HubContext} relative to it
 * (ASP.NET Core's {@code Context}, {@code Clients.Caller}, {@code Clients.Others}, {@code Groups}). Every
 * send goes through the backplane, so it reaches clients on every server.
 */
public interface HubCaller {
    String connectionId();

    /** Null for an anonymous connection. */
    String userId();

    /** State kept for this connection's lifetime; safe for concurrent use. */
    Map<String, Object> items();

    /** The whole hub: all, groups, users, connections, presence. */
    HubContext hub();

    CompletableFuture<Void> joinGroup(String group);

    CompletableFuture<Void> leaveGroup(String group);

    CompletableFuture<Void> sendCaller(String target, Object... arguments);

    /** Every connection of the hub but this one. */
    CompletableFuture<Void> sendOthers(String target, Object... arguments);

    /** Every member of {@code group} but this connection. */
    CompletableFuture<Void> sendOthersInGroup(String group, String target, Object... arguments);

    /**
     * Invokes a method on this client and awaits its answer (a client result). Do not block a hub method
     * on it for long: the client's later invocations wait behind the one running.
     */
    CompletableFuture<JsonNode> invokeCaller(String target, Object... arguments);

    /**
     * The timer {@code collaboration.conflict.resolution} (tag {@code hub}) that the bundled dashboard
     * and alerts read: record how long merging concurrent edits took.
     */
    Timer conflictResolution();
}
