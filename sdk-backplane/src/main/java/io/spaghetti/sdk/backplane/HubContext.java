package io.spaghetti.sdk.backplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One SignalR hub across every server sharing the Redis backplane, .NET SignalR servers included.
 * Sends call a client method ({@code target}) with {@code arguments} serialized by Jackson; the
 * returned future completes when Redis has taken the message.
 */
public interface HubContext {
    /** The hub's name: for a .NET hub, its type's full name, e.g. {@code Spaghetti.Collaboration.DocumentHub}. */
    String name();

    CompletableFuture<Void> sendAll(String target, Object... arguments);

    CompletableFuture<Void> sendAllExcept(Collection<String> excludedConnectionIds, String target, Object... arguments);

    CompletableFuture<Void> sendConnection(String connectionId, String target, Object... arguments);

    CompletableFuture<Void> sendConnections(Collection<String> connectionIds, String target, Object... arguments);

    CompletableFuture<Void> sendGroup(String group, String target, Object... arguments);

    CompletableFuture<Void> sendGroupExcept(String group, Collection<String> excludedConnectionIds, String target,
            Object... arguments);

    CompletableFuture<Void> sendGroups(Collection<String> groups, String target, Object... arguments);

    CompletableFuture<Void> sendUser(String userId, String target, Object... arguments);

    CompletableFuture<Void> sendUsers(Collection<String> userIds, String target, Object... arguments);

    /**
     * Adds a connection held by any server to a group. Completes when its server acknowledged;
     * fails with {@link BackplaneException} when no server did within {@code backplane.groupAckTimeout}.
     */
    CompletableFuture<Void> addToGroup(String connectionId, String group);

    CompletableFuture<Void> removeFromGroup(String connectionId, String group);

    /**
     * Invokes a method on one connection held by any server and awaits the client's result.
     * Fails when the connection does not exist, the client answers with an error, it disconnects,
     * or no answer comes within {@code backplane.clientResultTimeout}.
     */
    CompletableFuture<JsonNode> invokeConnection(String connectionId, String target, Object... arguments);

    /**
     * Registers a connection this service holds; its channel subscription is in place when this returns.
     *
     * @param userId   null for anonymous
     * @param protocol the client's hub protocol: {@code json} or {@code messagepack}
     */
    LocalConnection register(String connectionId, String userId, String protocol, ConnectionSink sink);

    /** The connections active in {@code group} on every server, from Redis. */
    List<Presence> presence(String group);
}
