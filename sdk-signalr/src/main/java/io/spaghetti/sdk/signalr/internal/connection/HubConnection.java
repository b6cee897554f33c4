package io.spaghetti.sdk.signalr.internal.connection;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Timer;
import io.spaghetti.sdk.backplane.ConnectionSink;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.backplane.HubFrame;
import io.spaghetti.sdk.backplane.LocalConnection;
import io.spaghetti.sdk.signalr.HubCaller;
import io.spaghetti.sdk.signalr.HubUser;
import io.spaghetti.sdk.signalr.internal.protocol.HubCodec;
import io.spaghetti.sdk.signalr.internal.protocol.HubMessage;
import io.spaghetti.sdk.signalr.internal.protocol.HubProtocolException;
import io.spaghetti.sdk.signalr.internal.protocol.JsonHubCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, from negotiate to close, whatever its transport.
 *
 * <p>Concurrency: bytes arrive on the transport's thread ({@link #receive}), frames from the backplane on
 * its delivery lanes ({@link #deliver}), timers on the hub's tick. Everything that leaves goes through one
 * send queue guarded by this object's lock, with at most one transport write in flight; what piles up while
 * a write is in flight goes out as one batch (SignalR frames concatenate). Hub methods run on the
 * {@link Invocations} executor, one at a time per connection.
 *
 * <p>Stateful reconnect: every sequenced message sent is kept until the client acks it, up to
 * {@code statefulReconnectBuffer} bytes. When the transport drops, the connection waits
 * {@code reconnectWindow} for the client to reopen it, then sends {@code Sequence} and replays what is
 * unacked. Past the buffer the oldest messages are forgotten, so a reconnect that would need them is
 * refused rather than silently leaving a gap.
 */
public final class HubConnection implements ConnectionSink, HubCaller {
    private static final Logger log = LoggerFactory.getLogger(HubConnection.class);

    private enum State { NEGOTIATED, CONNECTED, DISCONNECTED, CLOSED }

    private record Sent(long sequenceId, byte[] bytes) {
    }

    private final String id;
    private final String token;
    private final HubUser user;
    private final HubEndpoint endpoint;
    private final boolean stateful;
    private final long createdAt = System.nanoTime();
    private final Map<String, Object> items = new ConcurrentHashMap<>();
    private final Invocations invocations;

    // guarded by this
    private State state = State.NEGOTIATED;
    private Transport transport;
    private HubCodec codec;
    private LocalConnection registration;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writing;
    private boolean closeAfterFlush;
    private final ArrayDeque<Sent> unacked = new ArrayDeque<>();
    private long unackedBytes;
    private long lastSentSequence;
    /** The oldest sequence id a replay can still resend; a reconnect needing an older one is refused. */
    private long replayableFrom = 1;
    private long lastReceivedSequence;
    private long nextReceiveSequence = 1;
    private long lastAckSent;
    private volatile long lastReceivedAt = System.nanoTime();
    private volatile long lastSentAt = System.nanoTime();
    private long disconnectedAt;

    HubConnection(String id, String token, HubUser user, HubEndpoint endpoint, boolean stateful) {
        this.id = id;
        this.token = token;
        this.user = user;
        this.endpoint = endpoint;
        this.stateful = stateful;
        this.invocations = new Invocations(this, endpoint);
    }

    String token() {
        return token;
    }

    public boolean isStateful() {
        return stateful;
    }

    public synchronized boolean isClosed() {
        return state == State.CLOSED;
    }

    public synchronized Transport transport() {
        return transport;
    }

    public synchronized String transportName() {
        return transport == null ? null : transport.name();
    }

    public synchronized HubCodec codec() {
        return codec;
    }

    // ---- transports

    /**
     * A transport opened for this connection: the first, or a stateful reconnect. False when it cannot
     * be used (closed, a non-stateful connection that already has one, or a reconnect the buffer no longer covers).
     */
    public boolean attach(Transport t) {
        Transport replaced = null;
        boolean refusedReconnect = false;
        synchronized (this) {
            if (state == State.CLOSED) {
                return false;
            }
            if (transport == null && state == State.NEGOTIATED) {
                transport = t;
                return true;
            }
            if (!stateful || state == State.NEGOTIATED || !"WebSockets".equals(t.name())) {
                return false;
            }
            if (replayableFrom > (unacked.isEmpty() ? lastSentSequence + 1 : unacked.peekFirst().sequenceId())) {
                refusedReconnect = true;
            } else {
                replaced = transport;
                transport = t;
                state = State.CONNECTED;
                queue.clear();
                queuedBytes = 0;
                writing = false;
                long first = unacked.isEmpty() ? lastSentSequence + 1 : unacked.peekFirst().sequenceId();
                enqueueLocked(codec.write(new HubMessage.Sequence(first)));
                for (Sent s : unacked) {
                    enqueueLocked(s.bytes());
                }
            }
        }
        if (refusedReconnect) {
            endpoint.metrics().reconnected(false);
            close("Reconnect refused: messages sent while disconnected no longer fit signalr.statefulReconnectBuffer",
                    false, DisconnectReason.TRANSPORT_LOST);
            return false;
        }
        if (replaced != null) {
            replaced.close();
        }
        endpoint.metrics().reconnected(true);
        flush();
        return true;
    }

    /** The client showed it is alive without sending a message (a long poll). */
    public void touch() {
        lastReceivedAt = System.nanoTime();
    }

    /** Bytes from the client: one WebSocket message or one POST body, holding whole frames. */
    public void receive(byte[] data) {
        lastReceivedAt = System.nanoTime();
        try {
            HubCodec c;
            synchronized (this) {
                if (state == State.CLOSED) {
                    return;
                }
                c = codec;
            }
            if (c == null) {
                data = handshake(data);
                if (data == null) {
                    return;
                }
                c = codec();
            }
            for (HubMessage m : c.read(data, endpoint.config().maxMessageSize())) {
                onMessage(m);
            }
        } catch (HubProtocolException e) {
            close(e.getMessage(), false, DisconnectReason.PROTOCOL_ERROR);
        }
    }

    /** Reads the handshake; answers it; returns what followed it in the same data, or null when the connection closed. */
    private byte[] handshake(byte[] data) {
        int end = indexOf(data, JsonHubCodec.RECORD_SEPARATOR);
        if (end < 0) {
            throw new HubProtocolException("Handshake was incomplete: expected {\"protocol\":...,\"version\":1} "
                    + "followed by 0x1E");
        }
        String error = null;
        HubCodec chosen = null;
        try {
            JsonNode request = JsonHubCodec.mapper().readTree(data, 0, end);
            String protocol = request.path("protocol").asText("");
            chosen = HubCodec.named(protocol);
            if (chosen == null) {
                error = "The protocol '" + protocol + "' is not supported: use json or messagepack.";
            } else if (request.path("version").asInt(-1) < 1 || request.path("version").asInt(-1) > 2) {
                // version 2 adds Ack and Sequence (stateful reconnect); both versions read the same otherwise
                error = "The server does not support version " + request.path("version") + " of the '" + protocol
                        + "' protocol: use version 1 or 2.";
            }
        } catch (IOException e) {
            error = "Handshake was malformed: " + e.getMessage();
        }
        byte[] response = (error == null ? "{}" : JsonHubCodec.mapper().createObjectNode().put("error", error).toString())
                .getBytes(StandardCharsets.UTF_8);
        byte[] framed = Arrays.copyOf(response, response.length + 1);
        framed[response.length] = JsonHubCodec.RECORD_SEPARATOR;
        if (error != null) {
            synchronized (this) {
                enqueueLocked(framed);
                closeAfterFlush = true;
            }
            flush();
            finish(DisconnectReason.PROTOCOL_ERROR, new HubProtocolException(error));
            return null;
        }
        String transportName;
        synchronized (this) {
            codec = chosen;
            state = State.CONNECTED;
            transportName = transport.name();
            enqueueLocked(framed);
        }
        flush();
        try {
            LocalConnection reg = endpoint.context().register(id, user.id(), chosen.name(), this);
            synchronized (this) {
                registration = reg;
            }
        } catch (RuntimeException e) {
            log.warn("Connection {} could not join hub {}: {}", id, endpoint.hubName(), e.toString());
            close("The server could not register the connection; try again.", true, DisconnectReason.SERVER_CLOSED);
            return null;
        }
        endpoint.metrics().connected(transportName);
        invocations.connected();
        return Arrays.copyOfRange(data, end + 1, data.length);
    }

    private void onMessage(HubMessage m) {
        if (stateful && m.sequenced() && !acceptSequenced()) {
            return;
        }
        if (m instanceof HubMessage.Invocation inv) {
            invocations.submit(inv);
        } else if (m instanceof HubMessage.StreamItem item) {
            invocations.streamItem(item);
        } else if (m instanceof HubMessage.Completion completion) {
            if (!invocations.streamCompleted(completion)) {
                answerClientResult(completion);
            }
        } else if (m instanceof HubMessage.CancelInvocation cancel) {
            invocations.cancel(cancel.invocationId());
        } else if (m instanceof HubMessage.Close) {
            close(null, false, DisconnectReason.CLIENT_CLOSED);
        } else if (m instanceof HubMessage.Ack ack) {
            acknowledged(ack.sequenceId());
        } else if (m instanceof HubMessage.Sequence seq) {
            synchronized (this) {
                if (seq.sequenceId() > lastReceivedSequence + 1) {
                    throw new HubProtocolException("Sequence " + seq.sequenceId() + " skips messages this server "
                            + "never received (last " + lastReceivedSequence + ")");
                }
                nextReceiveSequence = seq.sequenceId();
            }
        }
    }

    /** Counts a sequenced message in; false for a duplicate that a reconnecting client resent. */
    private synchronized boolean acceptSequenced() {
        long current = nextReceiveSequence++;
        if (current <= lastReceivedSequence) {
            return false;
        }
        lastReceivedSequence = current;
        return true;
    }

    private synchronized void acknowledged(long sequenceId) {
        while (!unacked.isEmpty() && unacked.peekFirst().sequenceId() <= sequenceId) {
            unackedBytes -= unacked.pollFirst().bytes().length;
        }
    }

    private void answerClientResult(HubMessage.Completion c) {
        LocalConnection reg;
        synchronized (this) {
            reg = registration;
        }
        if (reg == null) {
            return;
        }
        try {
            if (c.error() != null) {
                reg.fail(c.invocationId(), c.error());
            } else {
                reg.complete(c.invocationId(), c.result());
            }
        } catch (RuntimeException e) {
            log.debug("Connection {} answered invocation {} that nothing awaits: {}", id, c.invocationId(), e.getMessage());
        }
    }

    /** The transport broke underneath (no close from the client): a stateful connection waits for its client. */
    public void transportLost(Transport t) {
        synchronized (this) {
            if (transport != t || state == State.CLOSED) {
                return;
            }
            if (stateful && state == State.CONNECTED) {
                state = State.DISCONNECTED;
                transport = null;
                queue.clear();
                queuedBytes = 0;
                writing = false;
                disconnectedAt = System.nanoTime();
                return;
            }
        }
        finish(DisconnectReason.TRANSPORT_LOST, null);
    }

    /** The transport ended for good without this server closing it (the client stopped, or broke the protocol). */
    public void transportEnded(Transport t, DisconnectReason reason) {
        synchronized (this) {
            if (transport != t || state == State.CLOSED) {
                return;
            }
            transport = null;
        }
        finish(reason, null);
    }

    // ---- sending

    /** A frame from the backplane, already in this connection's protocol. */
    @Override
    public void deliver(HubFrame frame) {
        send(frame.bytes(), true);
    }

    @Override
    public void closed(String reason) {
        close("Connection closed by the server: " + reason + ".", true, DisconnectReason.SLOW_CONSUMER);
    }

    // Not declared nonBlocking() although delivery only queues and every transport writes asynchronously: the
    // per-recipient Jetty write is the expensive part of a fan-out, and on Redisson's one listener thread it measured
    // far worse (p50 248 ms at 29,700 deliveries/s, docs/benchmarks.md) than spread over the delivery lanes.

    void send(HubMessage m) {
        HubCodec c = codec();
        if (c != null) {
            send(c.write(m), m.sequenced());
        }
    }

    private void send(byte[] bytes, boolean sequenced) {
        boolean overflow;
        synchronized (this) {
            if (state == State.CLOSED || state == State.NEGOTIATED || closeAfterFlush) {
                return;
            }
            if (sequenced && stateful) {
                remember(bytes);
            }
            if (state == State.DISCONNECTED) {
                return;
            }
            overflow = queuedBytes + bytes.length > endpoint.config().sendBuffer();
            if (!overflow) {
                enqueueLocked(bytes);
            }
        }
        if (overflow) {
            close("Connection closed by the server: the client did not keep up with its messages (slow consumer).",
                    true, DisconnectReason.SLOW_CONSUMER);
            return;
        }
        flush();
    }

    private void remember(byte[] bytes) {
        long seq = ++lastSentSequence;
        unacked.addLast(new Sent(seq, bytes));
        unackedBytes += bytes.length;
        while (unackedBytes > endpoint.config().statefulReconnectBuffer() && !unacked.isEmpty()) {
            Sent dropped = unacked.pollFirst();
            unackedBytes -= dropped.bytes().length;
            replayableFrom = dropped.sequenceId() + 1;
        }
    }

    private void enqueueLocked(byte[] bytes) {
        queue.addLast(bytes);
        queuedBytes += bytes.length;
    }

    private void flush() {
        Transport t;
        byte[] payload;
        boolean binary;
        synchronized (this) {
            if (writing || transport == null) {
                return;
            }
            if (queue.isEmpty()) {
                if (closeAfterFlush) {
                    t = transport;
                    transport = null;
                    t.close();
                }
                return;
            }
            t = transport;
            binary = codec != null && codec.binary();
            payload = drainLocked();
            writing = true;
        }
        lastSentAt = System.nanoTime();
        int length = payload.length;
        t.send(payload, binary, failure -> {
            synchronized (this) {
                if (transport != t) {
                    return;
                }
                writing = false;
                queuedBytes -= length;
            }
            if (failure == null) {
                flush();
            } else {
                transportLost(t);
            }
        });
    }

    /** Everything queued, as one payload: SignalR frames concatenate. */
    private byte[] drainLocked() {
        if (queue.size() == 1) {
            return queue.pollFirst();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(queuedBytes, Integer.MAX_VALUE));
        byte[] b;
        while ((b = queue.pollFirst()) != null) {
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    // ---- closing

    /** Closes from the server side: a Close message with {@code error} (null for none), then the transport. */
    public void close(String error, boolean allowReconnect, DisconnectReason reason) {
        Transport immediate = null;
        synchronized (this) {
            if (state == State.CLOSED || closeAfterFlush) {
                return;
            }
            if (codec != null && transport != null && reason != DisconnectReason.SLOW_CONSUMER) {
                enqueueLocked(codec.write(new HubMessage.Close(error, allowReconnect)));
                closeAfterFlush = true;
            } else {
                // nothing to say, or a slow consumer whose queue a Close message would only wait behind
                immediate = transport;
                transport = null;
                queue.clear();
                queuedBytes = 0;
            }
        }
        if (immediate != null) {
            immediate.close();
        }
        flush();
        finish(reason, error == null ? null : new HubProtocolException(error));
    }

    /** Releases the connection: leaves the hub and its groups, stops streams, calls onDisconnected once. */
    private void finish(DisconnectReason reason, Throwable error) {
        LocalConnection reg;
        boolean wasConnected;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            wasConnected = codec != null && registration != null;
            state = State.CLOSED;
            reg = registration;
            registration = null;
            unacked.clear();
        }
        endpoint.removed(this);
        if (reg != null) {
            reg.close();
        }
        invocations.disconnected(wasConnected, error);
        endpoint.metrics().disconnected(reason);
        log.debug("Connection {} of hub {} closed: {}", id, endpoint.hubName(), reason.tag());
    }

    /** Timers, every second: keep-alive ping, client timeout, handshake timeout, acks, reconnect window. */
    void tick(long now) {
        SignalRTimers timers = endpoint.timers();
        State s;
        boolean sendAck = false;
        long ack;
        synchronized (this) {
            s = state;
            ack = lastReceivedSequence;
            if (stateful && s == State.CONNECTED && ack > lastAckSent) {
                lastAckSent = ack;
                sendAck = true;
            }
        }
        switch (s) {
            case NEGOTIATED -> {
                if (now - createdAt > timers.handshakeNanos()) {
                    close("Handshake was not received within signalr.handshakeTimeout.", false, DisconnectReason.TIMEOUT);
                }
            }
            case CONNECTED -> {
                if (now - lastReceivedAt > timers.clientTimeoutNanos()) {
                    close("Server timeout elapsed without receiving a message from the client.", true,
                            DisconnectReason.TIMEOUT);
                    return;
                }
                if (sendAck) {
                    send(new HubMessage.Ack(ack));
                } else if (now - lastSentAt > timers.keepAliveNanos()) {
                    send(new HubMessage.Ping());
                }
            }
            case DISCONNECTED -> {
                long since;
                synchronized (this) {
                    since = disconnectedAt;
                }
                if (now - since > timers.reconnectWindowNanos()) {
                    finish(DisconnectReason.TRANSPORT_LOST, null);
                }
            }
            case CLOSED -> { }
        }
    }

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    // ---- HubCaller

    @Override
    public String connectionId() {
        return id;
    }

    @Override
    public String userId() {
        return user.id();
    }

    @Override
    public Map<String, Object> items() {
        return items;
    }

    @Override
    public HubContext hub() {
        return endpoint.context();
    }

    @Override
    public CompletableFuture<Void> joinGroup(String group) {
        return endpoint.context().addToGroup(id, group);
    }

    @Override
    public CompletableFuture<Void> leaveGroup(String group) {
        return endpoint.context().removeFromGroup(id, group);
    }

    @Override
    public CompletableFuture<Void> sendCaller(String target, Object... arguments) {
        return endpoint.context().sendConnection(id, target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendOthers(String target, Object... arguments) {
        return endpoint.context().sendAllExcept(List.of(id), target, arguments);
    }

    @Override
    public CompletableFuture<Void> sendOthersInGroup(String group, String target, Object... arguments) {
        return endpoint.context().sendGroupExcept(group, List.of(id), target, arguments);
    }

    @Override
    public CompletableFuture<JsonNode> invokeCaller(String target, Object... arguments) {
        return endpoint.context().invokeConnection(id, target, arguments);
    }

    @Override
    public Timer conflictResolution() {
        return endpoint.metrics().conflictResolution();
    }
}
