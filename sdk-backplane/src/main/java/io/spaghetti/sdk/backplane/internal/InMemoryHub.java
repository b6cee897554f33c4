package io.spaghetti.sdk.backplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.spaghetti.sdk.backplane.BackplaneException;
import io.spaghetti.sdk.backplane.ConnectionSink;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.backplane.HubFrame;
import io.spaghetti.sdk.backplane.LocalConnection;
import io.spaghetti.sdk.backplane.Presence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A hub whose connections all live in this process: what ASP.NET Core's default lifetime manager does
 * when no backplane is configured. Groups and users are maps; sends go through the same delivery lanes
 * as the Redis hub, so a slow sink never blocks the sender or another connection.
 */
public final class InMemoryHub implements HubContext {
    private final String name;
    private final DeliveryLanes delivery;
    private final ScheduledExecutorService scheduler;
    private final Duration clientResultTimeout;
    private final Map<String, Member> connections = new ConcurrentHashMap<>();
    /** Group name to its members: names are case-sensitive, as on the Redis backplane. */
    private final Map<String, Set<Member>> groups = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> pendingResults = new ConcurrentHashMap<>();

    public InMemoryHub(String name, DeliveryLanes delivery, ScheduledExecutorService scheduler,
            Duration clientResultTimeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.delivery = delivery;
        this.scheduler = scheduler;
        this.clientResultTimeout = clientResultTimeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Void> sendAll(String target, Object... arguments) {
        return send(connections.values(), m -> true, null, target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendAllExcept(Collection<String> excluded, String target, Object... arguments) {
        Set<String> ex = Set.copyOf(excluded);
        return send(connections.values(), m -> !ex.contains(m.id), null, target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendConnection(String connectionId, String target, Object... arguments) {
        return sendConnections(List.of(connectionId), target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendConnections(Collection<String> connectionIds, String target, Object... arguments) {
        return send(members(connectionIds.stream().map(connections::get)), m -> true, null, target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendGroup(String group, String target, Object... arguments) {
        return sendGroupExcept(group, List.of(), target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendGroupExcept(String group, Collection<String> excluded, String target,
            Object... arguments) {
        Set<String> ex = Set.copyOf(excluded);
        return send(groups.getOrDefault(requireGroup(group), Set.of()), m -> !ex.contains(m.id), null, target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendGroups(Collection<String> names, String target, Object... arguments) {
        List<Member> members = names.stream().flatMap(g -> groups.getOrDefault(requireGroup(g), Set.of()).stream())
                .distinct().toList();
        return send(members, m -> true, null, target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendUser(String userId, String target, Object... arguments) {
        return sendUsers(List.of(userId), target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendUsers(Collection<String> userIds, String target, Object... arguments) {
        Set<String> users = Set.copyOf(userIds);
        return send(connections.values(), m -> m.userId != null && users.contains(m.userId), null, target, arguments);
    }

    private static List<Member> members(java.util.stream.Stream<Member> stream) {
        return stream.filter(Objects::nonNull).toList();
    }

    private CompletableFuture<Void> send(Collection<Member> candidates, Predicate<Member> include, String invocationId,
            String target, Object[] arguments) {
        if (target == null || target.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("target is missing"));
        }
        Frames frames;
        try {
            frames = new Frames(invocationId, target, Arrays.asList(arguments));
        } catch (BackplaneException e) {
            return CompletableFuture.failedFuture(e);
        }
        int lanes = delivery.laneCount();
        List<List<DeliveryLanes.Recipient>> byLane = new ArrayList<>(lanes);
        for (int i = 0; i < lanes; i++) {
            byLane.add(new ArrayList<>());
        }
        for (Member m : candidates) {
            if (include.test(m)) {
                byLane.get(m.lane).add(m);
            }
        }
        for (int lane = 0; lane < lanes; lane++) {
            List<DeliveryLanes.Recipient> recipients = byLane.get(lane);
            if (!recipients.isEmpty()) {
                delivery.lane(lane).submit(frames, recipients.toArray(DeliveryLanes.Recipient[]::new), () -> { });
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * One invocation encoded at most once per protocol. JSON is encoded at once, so an argument Jackson cannot
     * serialize fails the send's future instead of a delivery thread; MessagePack on first need.
     */
    private static final class Frames {
        private final String invocationId;
        private final String target;
        private final List<?> arguments;
        private final Map<HubProtocol, byte[]> encoded = new EnumMap<>(HubProtocol.class);

        Frames(String invocationId, String target, List<?> arguments) {
            this.invocationId = invocationId;
            this.target = target;
            this.arguments = arguments;
            encoded.put(HubProtocol.JSON, HubProtocol.JSON.invocation(Map.of(), invocationId, target, arguments));
        }

        synchronized byte[] in(HubProtocol protocol) {
            return encoded.computeIfAbsent(protocol, p -> p.invocation(Map.of(), invocationId, target, arguments));
        }
    }

    @Override
    public CompletableFuture<Void> addToGroup(String connectionId, String group) {
        Member m = requireMember(connectionId);
        // one connection's memberships de-duplicate case-insensitively, as ASP.NET Core's do
        if (m.groups.putIfAbsent(key(group), group) == null) {
            groups.computeIfAbsent(group, k -> ConcurrentHashMap.newKeySet()).add(m);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> removeFromGroup(String connectionId, String group) {
        Member m = connections.get(connectionId);
        if (m != null) {
            leave(m, key(group));
        }
        return CompletableFuture.completedFuture(null);
    }

    private void leave(Member m, String groupKey) {
        String name = m.groups.remove(groupKey);
        if (name != null) {
            groups.computeIfPresent(name, (k, members) -> {
                members.remove(m);
                return members.isEmpty() ? null : members;
            });
        }
    }

    @Override
    public CompletableFuture<JsonNode> invokeConnection(String connectionId, String target, Object... arguments) {
        Member m = connections.get(connectionId);
        if (m == null) {
            return CompletableFuture.failedFuture(new BackplaneException("Connection '" + connectionId
                    + "' does not exist."));
        }
        String invocationId = RedisHub.newInvocationId();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pendingResults.put(invocationId, result);
        m.owed.add(invocationId);
        var timeout = scheduler.schedule(() -> finish(invocationId, null, new BackplaneException("Connection '"
                + connectionId + "' did not answer '" + target + "' within " + clientResultTimeout)),
                clientResultTimeout.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((v, e) -> {
            timeout.cancel(false);
            m.owed.remove(invocationId);
        });
        send(List.of(m), x -> true, invocationId, target, arguments).whenComplete((v, e) -> {
            if (e != null) {
                finish(invocationId, null, e);
            }
        });
        return result;
    }

    private void finish(String invocationId, JsonNode value, Throwable error) {
        CompletableFuture<JsonNode> pending = pendingResults.remove(invocationId);
        if (pending != null) {
            if (error == null) {
                pending.complete(value);
            } else {
                pending.completeExceptionally(error);
            }
        }
    }

    @Override
    public LocalConnection register(String connectionId, String userId, String protocol, ConnectionSink sink) {
        if (connectionId == null || connectionId.isBlank()) {
            throw new IllegalArgumentException("connectionId is missing");
        }
        Member m = new Member(connectionId, userId, HubProtocol.of(protocol), Objects.requireNonNull(sink, "sink"));
        if (connections.putIfAbsent(connectionId, m) != null) {
            throw new BackplaneException("Connection '" + connectionId + "' is already registered on hub " + name
                    + ": connection ids must be unique; close the old registration first");
        }
        return m;
    }

    @Override
    public List<Presence> presence(String group) {
        Instant now = Instant.now();
        return groups.getOrDefault(requireGroup(group), Set.of()).stream()
                .map(m -> new Presence(m.userId, m.id, "local", now)).toList();
    }

    /** The connections registered now. */
    public int connectionCount() {
        return connections.size();
    }

    private Member requireMember(String connectionId) {
        Member m = connections.get(connectionId);
        if (m == null) {
            throw new BackplaneException("Connection '" + connectionId + "' does not exist on hub " + name);
        }
        return m;
    }

    private static String requireGroup(String group) {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("group is missing");
        }
        return group;
    }

    private static String key(String group) {
        return requireGroup(group).toLowerCase(Locale.ROOT);
    }

    private final class Member implements LocalConnection, DeliveryLanes.Recipient {
        final String id;
        final String userId;
        final HubProtocol protocol;
        final ConnectionSink sink;
        final int lane;
        final Map<String, String> groups = new ConcurrentHashMap<>();
        final Set<String> owed = ConcurrentHashMap.newKeySet();
        final AtomicBoolean closed = new AtomicBoolean();

        Member(String id, String userId, HubProtocol protocol, ConnectionSink sink) {
            this.id = id;
            this.userId = userId;
            this.protocol = protocol;
            this.sink = sink;
            this.lane = delivery.assign().index();
        }

        @Override
        public void receive(Object message) throws Exception {
            sink.deliver(new HubFrame(protocol.wireName(), ((Frames) message).in(protocol)));
        }

        @Override
        public boolean isClosed() {
            return closed.get();
        }

        @Override
        public void stuck() {
            if (!closed.get()) {
                close();
                sink.closed("slow consumer");
            }
        }

        @Override
        public void failed(Exception e) {
            // the sink's own transport reports its failure; the frame is lost like a dropped socket's
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String userId() {
            return userId;
        }

        @Override
        public String protocol() {
            return protocol.wireName();
        }

        @Override
        public Set<String> groups() {
            return Set.copyOf(groups.values());
        }

        @Override
        public void complete(String invocationId, Object result) {
            requireOwed(invocationId);
            finish(invocationId, HubProtocol.JSON_MAPPER.valueToTree(result), null);
        }

        @Override
        public void fail(String invocationId, String error) {
            requireOwed(invocationId);
            finish(invocationId, null, new BackplaneException("The client answered with an error: " + error));
        }

        private void requireOwed(String invocationId) {
            if (!owed.remove(invocationId)) {
                throw new BackplaneException("No invocation '" + invocationId + "' awaits a result from connection '"
                        + id + "' (answered already, timed out, or never sent to it)");
            }
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            connections.remove(id, this);
            List.copyOf(groups.keySet()).forEach(g -> leave(this, g));
            List.copyOf(owed).forEach(i -> finish(i, null,
                    new BackplaneException("The client answered with an error: Connection disconnected.")));
        }
    }
}
