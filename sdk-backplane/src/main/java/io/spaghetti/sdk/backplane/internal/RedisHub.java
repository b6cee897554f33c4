package io.spaghetti.sdk.backplane.internal;

import java.util.Locale;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.core.instrument.Timer;
import io.spaghetti.sdk.backplane.BackplaneConfig;
import io.spaghetti.sdk.backplane.BackplaneException;
import io.spaghetti.sdk.backplane.ConnectionSink;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.backplane.HubFrame;
import io.spaghetti.sdk.backplane.LocalConnection;
import io.spaghetti.sdk.backplane.Presence;
import io.spaghetti.sdk.backplane.internal.BackplaneMetrics.Kind;
import io.spaghetti.sdk.backplane.internal.BackplaneMetrics.Undelivered;
import io.spaghetti.sdk.backplane.internal.WireFormat.GroupCommand;
import io.spaghetti.sdk.backplane.internal.WireFormat.Invocation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hub on the Redis backplane, following ASP.NET Core's RedisHubLifetimeManager: sends to all,
 * groups and users go through Redis (local connections receive them from their own
 * subscription); a send to a local connection is delivered directly.
 */
public final class RedisHub implements HubContext {
    private static final Logger log = LoggerFactory.getLogger(RedisHub.class);
    static final String LATENCY_HEADER = "spaghetti-sent-us";
    /**
     * In delivery {@code both}, the pub/sub copy of a message that SDK servers read from the stream: an excluded
     * connection id no connection has, so .NET servers deliver it unchanged and SDK servers know to skip it.
     */
    static final String STREAM_COPY = "spaghetti:stream-copy";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HubProtocol[] PROTOCOLS = HubProtocol.values();
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Connection.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final BackplaneConfig config;
    private final String serverName;
    private final List<HubProtocol> protocols;
    private final CircuitBreaker circuitBreaker;
    private final ScheduledExecutorService scheduler;
    private final PresenceStore presence;
    private final BackplaneMetrics metrics;
    private final HubPublisher publisher;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Subscriptions<Connection> connectionChannels;
    private final Subscriptions<Connection> groupChannels;
    private final Subscriptions<Connection> userChannels;
    private final AtomicInteger nextAckId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<Void>> pendingAcks = new ConcurrentHashMap<>();
    private final PendingResults pendingResults;
    private final List<RTopic> serverTopics = new ArrayList<>();
    private final ScheduledFuture<?> heartbeat;
    private final DeliveryLanes delivery;
    /** How long a send or presence read may wait for Redis: the redis-backplane policy's timeout. */
    private final Duration deadline;
    private final BackplaneObservations observations;
    /** Set in delivery streams and both: sends to all, groups, users and connections go through it. */
    private final HubStream stream;
    /** Delivery both: SDK servers skip the pub/sub copies of what they read from the stream. */
    private final boolean marksStreamCopies;
    private volatile boolean closing;

    /** @param replicaAcks replicas a streams-mode send waits for: 0 where Redis has none */
    public RedisHub(String name, BackplaneConfig config, RedissonClient client, RedissonClient presenceClient,
            String serverName, CircuitBreaker circuitBreaker, Duration deadline, ScheduledExecutorService scheduler,
            DeliveryLanes delivery, MeterRegistry registry, ObservationRegistry observationRegistry, int replicaAcks) {
        this.name = requireText(name, "hub name");
        this.observations = new BackplaneObservations(observationRegistry);
        this.deadline = deadline;
        this.delivery = delivery;
        this.config = config;
        this.serverName = serverName;
        this.protocols = config.protocols().stream().map(HubProtocol::of).toList();
        this.circuitBreaker = circuitBreaker;
        this.scheduler = scheduler;
        this.presence = new PresenceStore(presenceClient, config.channelPrefix() + "presence:" + name + ":", serverName,
                config.presence().ttl());
        this.metrics = new BackplaneMetrics(registry, name, connections::size,
                () -> connections.values().stream().filter(c -> !c.groups.isEmpty()).count());
        this.publisher = new HubPublisher(name, config, client, circuitBreaker, deadline, metrics);
        this.pendingResults = new PendingResults(scheduler, metrics);
        boolean readsPubSub = config.delivery() != BackplaneConfig.Delivery.STREAMS;
        marksStreamCopies = config.delivery() == BackplaneConfig.Delivery.BOTH;
        // client results stay on pub/sub, so connection channels are always subscribed
        connectionChannels = new Subscriptions<>(id -> topic(channel("connection:" + id)),
                id -> (ch, msg) -> onConnectionMessage(id, msg, false));
        groupChannels = readsPubSub ? new Subscriptions<>(g -> topic(channel("group:" + g)),
                g -> (ch, msg) -> onGroupMessage(g, msg, false)) : Subscriptions.membersOnly();
        userChannels = readsPubSub ? new Subscriptions<>(u -> topic(channel("user:" + u)),
                u -> (ch, msg) -> onUserMessage(u, msg, false)) : Subscriptions.membersOnly();
        subscribeServerChannels(readsPubSub);
        stream = config.delivery() == BackplaneConfig.Delivery.PUBSUB ? null
                : new HubStream(client, name, config.channelPrefix() + name + ":stream:", serverName, config.streams(),
                        replicaAcks, deadline, scheduler, new StreamMetrics(registry, name), this::onStreamMessage);
        Duration hb = config.presence().heartbeat();
        heartbeat = scheduler.scheduleAtFixedRate(this::renewPresence, hb.toMillis(), hb.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void subscribeServerChannels(boolean readsPubSub) {
        RTopic groups = topic(channel("internal:groups"));
        AtomicBoolean subscribedOnce = new AtomicBoolean();
        groups.addListener(new StatusListener() {
            @Override
            public void onSubscribe(String channel) {
                if (subscribedOnce.getAndSet(true)) {
                    metrics.reconnected();
                    log.info("Backplane hub {} re-subscribed after losing Redis; messages sent meanwhile are lost", name);
                }
            }

            @Override
            public void onUnsubscribe(String channel) {
                if (!closing) { // close() unsubscribes on purpose
                    log.warn("Backplane hub {} lost its Redis subscription; Redisson re-subscribes when Redis is back",
                            name);
                }
            }
        });
        if (readsPubSub) {
            RTopic all = topic(channel("all"));
            all.addListener(byte[].class, (ch, msg) -> onInvocation(Kind.ALL, msg, false,
                    inv -> deliverToMembers(connections.values(), inv, true)));
            serverTopics.add(all);
        }
        groups.addListener(byte[].class, (ch, msg) -> onGroupCommand(msg));
        serverTopics.add(groups);
        RTopic acks = topic(ackChannel(serverName));
        acks.addListener(byte[].class, (ch, msg) -> onAck(msg));
        serverTopics.add(acks);
        RTopic returns = topic(config.channelPrefix() + returnChannelName(serverName));
        returns.addListener(byte[].class, (ch, msg) -> onCompletion(msg));
        serverTopics.add(returns);
    }

    @Override
    public String name() {
        return name;
    }

    // ---- sending

    @Override
    public CompletableFuture<Void> sendAll(String target, Object... arguments) {
        return sendAllExcept(List.of(), target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendAllExcept(Collection<String> excluded, String target, Object... arguments) {
        return publishInvocation(Kind.ALL, "all", excluded, target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendConnection(String connectionId, String target, Object... arguments) {
        requireText(connectionId, "connectionId");
        return observedSend(Kind.CONNECTION, target, trace -> sendConnection(connectionId,
                invocation(List.of(), null, null, target, arguments, trace)));
    }

    private CompletableFuture<Void> sendConnection(String connectionId, Invocation inv) {
        Connection local = connections.get(connectionId);
        if (local != null) {
            deliver(local, inv);
            return CompletableFuture.completedFuture(null);
        }
        return sendInvocation(Kind.CONNECTION, "connection:" + connectionId, inv)
                .thenAccept(receivers -> {
                    if (receivers == 0) {
                        metrics.undelivered(Undelivered.NO_RECEIVER);
                    }
                });
    }

    @Override
    public CompletableFuture<Void> sendConnections(Collection<String> connectionIds, String target, Object... arguments) {
        return all(connectionIds.stream().map(id -> sendConnection(id, target, arguments)).toList());
    }

    @Override
    public CompletableFuture<Void> sendGroup(String group, String target, Object... arguments) {
        return sendGroupExcept(group, List.of(), target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendGroupExcept(String group, Collection<String> excluded, String target,
            Object... arguments) {
        return publishInvocation(Kind.GROUP, "group:" + requireText(group, "group"), excluded, target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendGroups(Collection<String> groups, String target, Object... arguments) {
        return all(groups.stream().map(g -> sendGroup(g, target, arguments)).toList());
    }

    @Override
    public CompletableFuture<Void> sendUser(String userId, String target, Object... arguments) {
        return publishInvocation(Kind.USER, "user:" + requireText(userId, "userId"), List.of(), target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendUsers(Collection<String> userIds, String target, Object... arguments) {
        return all(userIds.stream().map(u -> sendUser(u, target, arguments)).toList());
    }

    /** @param channel the channel after the hub's name: {@code all}, {@code group:<name>}... */
    private CompletableFuture<Void> publishInvocation(Kind kind, String channel, Collection<String> excluded,
            String target, Object[] arguments) {
        return observedSend(kind, target, trace -> sendInvocation(kind, channel,
                invocation(List.copyOf(excluded), null, null, target, arguments, trace)).thenApply(receivers -> null));
    }

    /**
     * Sends by the configured delivery; completes with the pub/sub receivers, or -1 when only the stream has it (its
     * readers are every SDK server of the hub, connected or not).
     */
    private CompletableFuture<Long> sendInvocation(Kind kind, String channel, Invocation inv) {
        if (stream == null) {
            return publisher.publish(kind, channel(channel), WireFormat.writeInvocation(inv));
        }
        if (!marksStreamCopies) {
            byte[] message = WireFormat.writeInvocation(inv);
            return publisher.guarded(kind, () -> stream.append(channel, message, null));
        }
        byte[] marked = WireFormat.writeInvocation(new Invocation(append(inv.excluded(), STREAM_COPY), inv.frames(),
                null, null));
        return publisher.guarded(kind, () -> stream.append(channel, marked, channel(channel)));
    }

    private static List<String> append(List<String> list, String last) {
        List<String> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(last);
        return copy;
    }

    /**
     * Runs a send as the publish observation (when anyone listens): {@code send} gets the trace headers to put in its
     * invocation, and the observation ends when the returned future does.
     */
    private <T> CompletableFuture<T> observedSend(Kind kind, String target,
            java.util.function.Function<Map<String, String>, CompletableFuture<T>> send) {
        if (observations.off()) {
            return send.apply(Map.of());
        }
        requireText(target, "target");
        Map<String, String> trace = new HashMap<>(4);
        Observation o = observations.publish(name, kind.description(), target, trace).start();
        try (Observation.Scope ignored = o.openScope()) {
            CompletableFuture<T> sent = send.apply(trace);
            // the caller keeps the very future the send returned (cancelling it still reaches the send)
            sent.whenComplete((value, err) -> {
                if (err != null) {
                    o.error(err);
                }
                o.stop();
            });
            return sent;
        } catch (RuntimeException e) {
            o.error(e);
            o.stop();
            throw e;
        }
    }

    private Invocation invocation(List<String> excluded, String invocationId, String returnChannel, String target,
            Object[] arguments, Map<String, String> trace) {
        requireText(target, "target");
        Map<String, String> headers;
        if (!config.latencyHeader()) {
            headers = trace;
        } else if (trace.isEmpty()) {
            headers = Map.of(LATENCY_HEADER, Long.toString(nowMicros()));
        } else {
            headers = new HashMap<>(trace);
            headers.put(LATENCY_HEADER, Long.toString(nowMicros()));
        }
        List<Object> args = Arrays.asList(arguments);
        Map<String, byte[]> frames = new LinkedHashMap<>();
        long size = 0;
        for (HubProtocol p : protocols) {
            byte[] frame = p.invocation(headers, invocationId, target, args);
            frames.put(p.wireName(), frame);
            size += frame.length;
        }
        if (size > config.maxMessageSize()) {
            metrics.undelivered(Undelivered.OVERSIZED);
            throw new BackplaneException("The '" + target + "' message for hub " + name + " takes " + size
                    + " bytes, more than backplane.maxMessageSize (" + config.maxMessageSize() + "): send a reference "
                    + "to large content (an id or URL) instead of the content, or raise the limit together with "
                    + "Redis's client-output-buffer-limit pubsub");
        }
        return new Invocation(excluded, frames, invocationId, returnChannel);
    }

    // ---- receiving

    /** @param fromStream read from the hub's stream, not its pub/sub copy */
    private void onInvocation(Kind kind, byte[] message, boolean fromStream, Consumer<Invocation> deliver) {
        metrics.received(kind);
        Invocation inv;
        try {
            inv = WireFormat.readInvocation(message);
        } catch (BackplaneException e) {
            metrics.undelivered(Undelivered.MALFORMED);
            log.warn("Dropping a {} message on hub {}: {}", kind.description(), name, e.getMessage());
            return;
        }
        if (marksStreamCopies && !fromStream && isStreamCopy(inv)) {
            return;
        }
        if (observations.off()) {
            recordLatency(inv);
            deliver.accept(inv);
            return;
        }
        Observation delivery = deliveryObservation(kind, inv).start();
        try (Observation.Scope ignored = delivery.openScope()) {
            recordLatency(inv);
            log.debug("Delivering a {} message of hub {} to this server's connections", kind.description(), name);
            deliver.accept(inv);
        } catch (RuntimeException e) {
            delivery.error(e);
            throw e;
        } finally {
            delivery.stop();
        }
    }

    /** A child of the sender's span when the message carries its trace context (an SDK or a .NET 9 server). */
    private Observation deliveryObservation(Kind kind, Invocation inv) {
        String traceparent = null;
        String tracestate = null;
        if (!inv.frames().isEmpty()) {
            Map.Entry<String, byte[]> first = inv.frames().entrySet().iterator().next();
            try {
                HubProtocol protocol = HubProtocol.of(first.getKey());
                traceparent = protocol.header(first.getValue(), BackplaneObservations.TRACEPARENT);
                if (traceparent != null) {
                    tracestate = protocol.header(first.getValue(), BackplaneObservations.TRACESTATE);
                }
            } catch (BackplaneException unknownProtocol) {
                // delivered without the sender's trace
            }
        }
        return observations.delivery(name, kind.description(), traceparent, tracestate);
    }

    /** A pub/sub copy of what this server reads from the stream (the marker is last, as {@code sendInvocation} adds it). */
    private static boolean isStreamCopy(Invocation inv) {
        List<String> excluded = inv.excluded();
        return !excluded.isEmpty() && STREAM_COPY.equals(excluded.get(excluded.size() - 1));
    }

    /** A message read from the hub's stream: handled as its pub/sub channel's listener would, when it is for us. */
    private void onStreamMessage(String channel, byte[] message) {
        if (channel.equals("all")) {
            onInvocation(Kind.ALL, message, true, inv -> deliverToMembers(connections.values(), inv, true));
        } else if (channel.startsWith("group:")) {
            String group = channel.substring("group:".length());
            if (!groupChannels.members(group).isEmpty()) {
                onGroupMessage(group, message, true);
            }
        } else if (channel.startsWith("user:")) {
            String user = channel.substring("user:".length());
            if (!userChannels.members(user).isEmpty()) {
                onUserMessage(user, message, true);
            }
        } else if (channel.startsWith("connection:")) {
            String connectionId = channel.substring("connection:".length());
            if (connections.containsKey(connectionId)) {
                onConnectionMessage(connectionId, message, true);
            }
        }
    }

    private void onGroupMessage(String group, byte[] message, boolean fromStream) {
        onInvocation(Kind.GROUP, message, fromStream,
                inv -> deliverToPlan(groupChannels.plan(group, RedisHub::fanOutOf, FanOutPlan.none()), inv, true));
    }

    private void onUserMessage(String userId, byte[] message, boolean fromStream) {
        onInvocation(Kind.USER, message, fromStream,
                inv -> deliverToPlan(userChannels.plan(userId, RedisHub::fanOutOf, FanOutPlan.none()), inv, false));
    }

    private void onConnectionMessage(String connectionId, byte[] message, boolean fromStream) {
        onInvocation(Kind.CONNECTION, message, fromStream, inv -> {
            Connection c = connections.get(connectionId);
            if (c == null) {
                metrics.undelivered(Undelivered.NO_RECEIVER);
                return;
            }
            if (inv.invocationId() != null) {
                c.owedResults.put(inv.invocationId(), inv.returnChannel());
            }
            deliver(c, inv);
        });
    }

    /**
     * Without exclusions to honour and with every member non-blocking, straight from the plan's arrays; otherwise as
     * {@link #deliverToMembers}. A member closing meanwhile may get this message, as with the closed check (the
     * close removes it from the next plan).
     */
    private void deliverToPlan(FanOutPlan<Connection> plan, Invocation inv, boolean honourExclusions) {
        if (!plan.allInline() || (honourExclusions && !inv.excluded().isEmpty())) {
            deliverToMembers(plan.members(), inv, honourExclusions);
            return;
        }
        HubFrame[] frames = framesByProtocol(inv);
        for (int i = 0; i < plan.size(); i++) {
            HubFrame frame = frames[plan.protocolIndex(i)];
            if (frame == null) {
                plan.members().get(i).protocolMissing();
                continue;
            }
            try {
                plan.sink(i).deliver(frame);
            } catch (Exception e) {
                plan.members().get(i).failed(e);
            }
        }
    }

    private static FanOutPlan<Connection> fanOutOf(List<Connection> members) {
        return FanOutPlan.of(members, c -> c.inline, c -> c.sink, c -> c.protocolIndex);
    }

    /**
     * Non-blocking sinks take the message here, on the receiving thread; the others get one batch per delivery lane
     * with recipients, so the listener thread only partitions for them.
     */
    private void deliverToMembers(Collection<Connection> members, Invocation inv, boolean honourExclusions) {
        Set<String> excluded = honourExclusions && !inv.excluded().isEmpty() ? Set.copyOf(inv.excluded()) : Set.of();
        int lanes = delivery.laneCount();
        DeliveryLanes.Recipient[][] byLane = null;
        int[] counts = null;
        // one HubFrame per protocol and message, indexed by the member's protocol (no per-member lookup)
        HubFrame[] frames = framesByProtocol(inv);
        for (Connection c : members) {
            if (excluded.contains(c.id)) {
                continue;
            }
            if (c.inline) {
                deliverInline(c, frames[c.protocolIndex]);
                continue;
            }
            if (byLane == null) {
                byLane = new DeliveryLanes.Recipient[lanes][];
                counts = new int[lanes];
            }
            int lane = c.lane;
            if (byLane[lane] == null) {
                byLane[lane] = new DeliveryLanes.Recipient[Math.max(1, members.size())];
            } else if (counts[lane] == byLane[lane].length) {
                byLane[lane] = Arrays.copyOf(byLane[lane], counts[lane] * 2); // members joined meanwhile
            }
            byLane[lane][counts[lane]++] = c;
        }
        if (byLane == null) {
            return;
        }
        for (int lane = 0; lane < lanes; lane++) {
            if (counts[lane] > 0) {
                delivery.lane(lane).submit(inv, Arrays.copyOf(byLane[lane], counts[lane]), this::droppedOverloaded);
            }
        }
    }

    /** The message's frame in each protocol it carries, by the protocol's ordinal (null for one it does not). */
    @SuppressWarnings("EnumOrdinal") // an array index over the protocols, read for every member of a fan-out
    private static HubFrame[] framesByProtocol(Invocation inv) {
        HubFrame[] frames = new HubFrame[PROTOCOLS.length];
        for (HubProtocol p : PROTOCOLS) {
            byte[] frame = inv.frames().get(p.wireName());
            if (frame != null) {
                frames[p.ordinal()] = new HubFrame(p.wireName(), frame);
            }
        }
        return frames;
    }

    private void deliver(Connection c, Invocation inv) {
        if (c.inline) {
            deliverInline(c, c.frameOf(inv));
        } else {
            delivery.lane(c.lane).submit(inv, new DeliveryLanes.Recipient[] {c}, this::droppedOverloaded);
        }
    }

    /** @param frame null when the message does not carry the connection's protocol */
    private static void deliverInline(Connection c, HubFrame frame) {
        if (c.isClosed()) {
            return;
        }
        if (frame == null) {
            c.protocolMissing();
            return;
        }
        try {
            c.sink.deliver(frame);
        } catch (Exception e) {
            c.failed(e);
        }
    }

    private void droppedOverloaded() {
        metrics.undelivered(Undelivered.SLOW_CONSUMER);
    }

    private void recordLatency(Invocation inv) {
        if (!config.latencyHeader() || inv.frames().isEmpty()) {
            return;
        }
        Map.Entry<String, byte[]> first = inv.frames().entrySet().iterator().next();
        String sent;
        try {
            sent = HubProtocol.of(first.getKey()).header(first.getValue(), LATENCY_HEADER);
        } catch (BackplaneException unknownProtocol) {
            return;
        }
        if (sent != null) {
            try {
                metrics.latencyMicros(nowMicros() - Long.parseLong(sent));
            } catch (NumberFormatException notOurs) {
                // a header of the same name from another sender
            }
        }
    }

    // ---- groups

    @Override
    public CompletableFuture<Void> addToGroup(String connectionId, String group) {
        return groupAction(connectionId, group, WireFormat.GROUP_ADD);
    }

    @Override
    public CompletableFuture<Void> removeFromGroup(String connectionId, String group) {
        return groupAction(connectionId, group, WireFormat.GROUP_REMOVE);
    }

    private CompletableFuture<Void> groupAction(String connectionId, String group, int action) {
        requireText(connectionId, "connectionId");
        requireText(group, "group");
        Connection local = connections.get(connectionId);
        if (local != null) {
            return applyGroupAction(local, group, action);
        }
        int id = nextAckId.getAndIncrement();
        CompletableFuture<Void> acked = new CompletableFuture<>();
        pendingAcks.put(id, acked);
        Timer.Sample sample = Timer.start();
        Duration limit = config.groupAckTimeout();
        ScheduledFuture<?> timeout = scheduler.schedule(() -> {
            if (pendingAcks.remove(id) != null) {
                metrics.groupAckTimedOut();
                acked.completeExceptionally(new BackplaneException("No server acknowledged "
                        + (action == WireFormat.GROUP_ADD ? "adding" : "removing") + " connection '" + connectionId
                        + "' " + (action == WireFormat.GROUP_ADD ? "to" : "from") + " group '" + group + "' within "
                        + limit + ": no server of hub " + name + " holds that connection (it may have disconnected)"));
            }
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
        acked.whenComplete((v, err) -> {
            timeout.cancel(false);
            if (err == null) {
                sample.stop(metrics.groupAck());
            }
        });
        publisher.publish(Kind.GROUP_COMMAND, channel("internal:groups"),
                WireFormat.writeGroupCommand(new GroupCommand(id, serverName, action, group, connectionId)))
                .whenComplete((receivers, err) -> {
                    if (err != null && pendingAcks.remove(id) != null) {
                        acked.completeExceptionally(err);
                    }
                });
        return acked;
    }

    /** A connection's groups match case-insensitively, as in ASP.NET Core; the first spelling added is kept. */
    private CompletableFuture<Void> applyGroupAction(Connection c, String group, int action) {
        String key = group.toLowerCase(Locale.ROOT);
        if (action == WireFormat.GROUP_ADD) {
            String existing = c.groups.putIfAbsent(key, group);
            if (existing != null) {
                return groupChannels.add(existing, c);
            }
            // the add completes once the presence entry is written, so a presence read after it (JoinDocument's
            // answer on another server) shows this member
            CompletableFuture<Void> present = presence.join(new PresenceStore.Entry(group, c.userId, c.id));
            return CompletableFuture.allOf(present, groupChannels.add(group, c));
        }
        String added = c.groups.remove(key);
        if (added != null) {
            presence.leave(new PresenceStore.Entry(added, c.userId, c.id));
            groupChannels.remove(added, c);
        }
        return CompletableFuture.completedFuture(null);
    }

    private void onGroupCommand(byte[] message) {
        metrics.received(Kind.GROUP_COMMAND);
        GroupCommand cmd;
        try {
            cmd = WireFormat.readGroupCommand(message);
        } catch (BackplaneException e) {
            metrics.undelivered(Undelivered.MALFORMED);
            log.warn("Dropping a group command on hub {}: {}", name, e.getMessage());
            return;
        }
        Connection c = connections.get(cmd.connectionId());
        if (c == null) {
            return;
        }
        applyGroupAction(c, cmd.group(), cmd.action()).whenComplete((v, err) ->
                publisher.publish(Kind.ACK, ackChannel(cmd.serverName()), WireFormat.writeAck(cmd.id())));
    }

    private void onAck(byte[] message) {
        metrics.received(Kind.ACK);
        try {
            CompletableFuture<Void> acked = pendingAcks.remove(WireFormat.readAck(message));
            if (acked != null) {
                acked.complete(null);
            }
        } catch (BackplaneException e) {
            metrics.undelivered(Undelivered.MALFORMED);
        }
    }

    // ---- client results

    @Override
    public CompletableFuture<JsonNode> invokeConnection(String connectionId, String target, Object... arguments) {
        requireText(connectionId, "connectionId");
        String invocationId = newInvocationId();
        CompletableFuture<JsonNode> result = pendingResults.await(invocationId, connectionId, target,
                config.clientResultTimeout());
        // the span lasts until the client's answer (or the timeout): what the client took is part of the call
        return observedSend(Kind.CONNECTION, target, trace -> {
            Invocation inv = invocation(List.of(), invocationId, returnChannelName(serverName), target, arguments,
                    trace);
            Connection local = connections.get(connectionId);
            if (local != null) {
                deliver(local, inv);
                return result;
            }
            publisher.publish(Kind.CONNECTION, channel("connection:" + connectionId), WireFormat.writeInvocation(inv))
                    .whenComplete((receivers, err) -> {
                        if (err != null) {
                            pendingResults.finish(invocationId, null, err);
                        } else if (receivers < 1) {
                            pendingResults.finish(invocationId, null, new BackplaneException("Connection '"
                                    + connectionId + "' does not exist."));
                        }
                    });
            return result;
        });
    }

    private void onCompletion(byte[] message) {
        metrics.received(Kind.COMPLETION);
        HubProtocol.CompletionResult r;
        try {
            WireFormat.Completion c = WireFormat.readCompletion(message);
            r = HubProtocol.of(c.protocol()).readCompletion(c.frame());
        } catch (BackplaneException e) {
            metrics.undelivered(Undelivered.MALFORMED);
            log.warn("Dropping a completion on hub {}: {}", name, e.getMessage());
            return;
        }
        pendingResults.finish(r.invocationId(), r.result(),
                r.error() == null ? null : PendingResults.clientError(r.error()));
    }

    // ---- connections and presence

    @Override
    public LocalConnection register(String connectionId, String userId, String protocol, ConnectionSink sink) {
        requireText(connectionId, "connectionId");
        Objects.requireNonNull(sink, "sink");
        Connection c = new Connection(connectionId, userId, HubProtocol.of(protocol), sink);
        if (connections.putIfAbsent(connectionId, c) != null) {
            throw new BackplaneException("Connection '" + connectionId + "' is already registered on hub " + name
                    + ": connection ids must be unique; close the old registration first");
        }
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        ready.add(connectionChannels.add(connectionId, c));
        if (userId != null) {
            ready.add(userChannels.add(userId, c));
        }
        try {
            all(ready).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            c.close();
            throw new BackplaneException("Could not subscribe connection '" + connectionId + "' on Redis: " + e, e);
        }
        return c;
    }

    @Override
    public List<Presence> presence(String group) {
        requireText(group, "group");
        if (!circuitBreaker.tryAcquirePermission()) {
            throw new BackplaneException("Presence of group '" + group + "' is unavailable: the Redis backplane's "
                    + "circuit breaker is open after repeated failures; it closes once Redis answers");
        }
        long start = System.nanoTime();
        try {
            List<Presence> list = presence.list(group).get(deadline.toNanos(), TimeUnit.NANOSECONDS);
            circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return list;
        } catch (InterruptedException e) {
            circuitBreaker.releasePermission();
            Thread.currentThread().interrupt();
            throw new BackplaneException("Interrupted while reading the presence of group '" + group + "'", e);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw new BackplaneException("Presence of group '" + group + "' is unavailable: " + (e instanceof
                    java.util.concurrent.TimeoutException ? "Redis did not answer within " + deadline
                    : "Redis failed: " + e.getCause().getMessage()), e);
        }
    }

    private void renewPresence() {
        try {
            List<PresenceStore.Entry> entries = new ArrayList<>();
            for (Connection c : connections.values()) {
                for (String g : c.groups.values()) {
                    entries.add(new PresenceStore.Entry(g, c.userId, c.id));
                }
            }
            presence.renew(entries);
        } catch (RuntimeException e) {
            log.warn("Presence heartbeat of hub {} failed: {}", name, e.toString());
        }
    }

    /** Unsubscribes everything and fails what is still pending. */
    public void close() {
        closing = true;
        heartbeat.cancel(false);
        if (stream != null) {
            stream.close();
        }
        new ArrayList<>(connections.values()).forEach(Connection::close);
        BackplaneException closed = new BackplaneException("The backplane was closed");
        pendingAcks.values().forEach(f -> f.completeExceptionally(closed));
        pendingResults.failAll(closed);
        for (RTopic t : serverTopics) {
            try {
                t.removeAllListeners();
            } catch (RuntimeException e) {
                log.debug("Could not unsubscribe {}: {}", t.getChannelNames(), e.toString());
            }
        }
        connectionChannels.clear();
        groupChannels.clear();
        userChannels.clear();
    }

    private final class Connection implements LocalConnection, DeliveryLanes.Recipient {
        final String id;
        final String userId;
        final HubProtocol protocol;
        /** {@code protocol.ordinal()}, read in the fan-out without loading the enum. */
        final int protocolIndex;
        final ConnectionSink sink;
        /** The delivery lane: every message for this connection runs there, in order (unless {@link #inline}). */
        final int lane;
        /** A non-blocking sink: called on the receiving thread, never through a lane. */
        final boolean inline;
        /** Lower-cased name to the name as first added. */
        final Map<String, String> groups = new ConcurrentHashMap<>();
        /** Invocations from other servers awaiting this client's result: invocation id to return channel. */
        final Map<String, String> owedResults = new ConcurrentHashMap<>();
        /** A field, not an AtomicBoolean: the fan-out reads it for every member (one memory load less). */
        private volatile boolean closed;

        @SuppressWarnings("EnumOrdinal") // the index framesByProtocol uses
        Connection(String id, String userId, HubProtocol protocol, ConnectionSink sink) {
            this.id = id;
            this.userId = userId;
            this.protocol = protocol;
            this.protocolIndex = protocol.ordinal();
            this.sink = sink;
            this.inline = sink.nonBlocking();
            this.lane = delivery.assign().index();
        }

        @Override
        public void receive(Object message) throws Exception {
            HubFrame frame = frameOf((Invocation) message);
            if (frame == null) {
                protocolMissing();
                return;
            }
            sink.deliver(frame);
        }

        /** Null when the message does not carry this connection's protocol. */
        HubFrame frameOf(Invocation inv) {
            byte[] frame = inv.frames().get(protocol.wireName());
            return frame == null ? null : new HubFrame(protocol.wireName(), frame);
        }

        void protocolMissing() {
            metrics.undelivered(Undelivered.PROTOCOL_MISSING);
            log.debug("Connection {} speaks {}, which the message does not carry", id, protocol.wireName());
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void failed(Exception e) {
            metrics.undelivered(Undelivered.SINK_FAILED);
            log.debug("Connection {} did not take a message: {}", id, e.toString());
        }

        @Override
        public void stuck() {
            metrics.undelivered(Undelivered.SLOW_CONSUMER);
            if (closed) {
                return;
            }
            metrics.slowConsumerClosed();
            close();
            sink.closed("slow consumer");
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
            answer(invocationId, result, null);
        }

        @Override
        public void fail(String invocationId, String error) {
            answer(invocationId, null, requireText(error, "error"));
        }

        private void answer(String invocationId, Object result, String error) {
            String returnChannel = owedResults.remove(invocationId);
            if (returnChannel != null) {
                byte[] frame = protocol.completion(invocationId, result, error);
                // The name in the message carries no prefix: like StackExchange.Redis, add ours.
                publisher.publish(Kind.COMPLETION, config.channelPrefix() + returnChannel,
                        WireFormat.writeCompletion(new WireFormat.Completion(protocol.wireName(), frame)));
                return;
            }
            if (!pendingResults.awaits(invocationId, id)) {
                throw new BackplaneException("No invocation '" + invocationId + "' awaits a result from connection '"
                        + id + "' (answered already, timed out, or never sent to it)");
            }
            pendingResults.finish(invocationId, error == null ? HubProtocol.JSON_MAPPER.valueToTree(result) : null,
                    error == null ? null : PendingResults.clientError(error));
        }

        @Override
        public void close() {
            if (!CLOSED.compareAndSet(this, false, true)) {
                return;
            }
            connections.remove(id, this);
            for (String g : List.copyOf(groups.values())) {
                applyGroupAction(this, g, WireFormat.GROUP_REMOVE);
            }
            connectionChannels.remove(id, this);
            if (userId != null) {
                userChannels.remove(userId, this);
            }
            owedResults.keySet().forEach(invocationId -> answer(invocationId, null, "Connection disconnected."));
            pendingResults.disconnected(id);
        }
    }

    // ---- helpers

    private RTopic topic(String channel) {
        return publisher.topic(channel);
    }

    private String channel(String suffix) {
        return publisher.channel(suffix);
    }

    private String ackChannel(String server) {
        return channel("internal:ack:" + server);
    }

    /** The return channel's name as messages carry it: without the channel prefix (see the spec). */
    private String returnChannelName(String server) {
        return name + ":internal:return:" + server;
    }

    private static CompletableFuture<Void> all(List<CompletableFuture<Void>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** 22 characters: 16 random bytes in base64 without padding, as SignalR's invocation ids. */
    static String newInvocationId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new BackplaneException(what + " is empty: pass a non-blank " + what);
        }
        return value;
    }
}
