package io.spaghetti.sdk.signalr.internal.connection;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.signalr.Authenticator;
import io.spaghetti.sdk.signalr.Hub;
import io.spaghetti.sdk.signalr.HubUser;
import io.spaghetti.sdk.signalr.SignalRConfig;
import io.spaghetti.sdk.signalr.internal.dispatch.HubMethods;
import io.spaghetti.sdk.signalr.internal.protocol.JsonHubCodec;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hub mapped at a path: negotiates, authenticates, and holds its connections by connection token.
 * Transport-neutral: the HTTP server in front turns requests into these calls.
 */
public final class HubEndpoint {
    private static final Logger log = LoggerFactory.getLogger(HubEndpoint.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An HTTP answer: status, and a body of the given content type. */
    public record Answer(int status, String contentType, String body) {
        static Answer text(int status, String body) {
            return new Answer(status, "text/plain; charset=utf-8", body);
        }
    }

    /** A connection, or the HTTP answer that refused it. */
    public record Opened(HubConnection connection, Answer refusal) {
    }

    private final String path;
    private final Hub hub;
    private final HubMethods methods;
    private final HubContext context;
    private final Authenticator authenticator;
    private final SignalRConfig config;
    private final SignalRTimers timers;
    private final Executor executor;
    private final HubMetrics metrics;
    private final ObservationRegistry observations;
    private final AtomicInteger serverConnections;
    private final Map<String, HubConnection> byToken = new ConcurrentHashMap<>();

    public HubEndpoint(String path, Hub hub, HubContext context, Authenticator authenticator, SignalRConfig config,
            Executor executor, MeterRegistry registry, ObservationRegistry observations,
            AtomicInteger serverConnections) {
        this.observations = observations;
        this.path = path;
        this.hub = hub;
        this.methods = HubMethods.of(hub);
        this.context = context;
        this.authenticator = authenticator;
        this.config = config;
        this.timers = SignalRTimers.of(config);
        this.executor = executor;
        this.serverConnections = serverConnections;
        this.metrics = new HubMetrics(registry, context.name(), methods.names(), byToken::size);
    }

    public String path() {
        return path;
    }

    /** {@code POST {path}/negotiate}: a new connection's id and token, and the transports on offer. */
    public Answer negotiate(Map<String, String> query, String authorization) {
        return negotiate(query, authorization, true);
    }

    /** @param allTransports false when the host server only carries WebSockets (the mount SPI) */
    public Answer negotiate(Map<String, String> query, String authorization, boolean allTransports) {
        Opened opened = open(query, authorization);
        if (opened.refusal() != null) {
            return opened.refusal();
        }
        HubConnection c = opened.connection();
        boolean v1 = !"0".equals(query.getOrDefault("negotiateVersion", "0"));
        ObjectNode body = JsonHubCodec.mapper().createObjectNode();
        body.put("connectionId", c.connectionId());
        if (v1) {
            body.put("negotiateVersion", 1);
            body.put("connectionToken", c.token());
        }
        if (c.isStateful()) {
            body.put("useStatefulReconnect", true);
        }
        ArrayNode transports = body.putArray("availableTransports");
        transport(transports, "WebSockets", List.of("Text", "Binary"));
        if (allTransports) {
            transport(transports, "ServerSentEvents", List.of("Text"));
            transport(transports, "LongPolling", List.of("Text", "Binary"));
        }
        return new Answer(200, "application/json", body.toString());
    }

    private static void transport(ArrayNode list, String name, List<String> formats) {
        ObjectNode t = list.addObject();
        t.put("transport", name);
        formats.forEach(t.putArray("transferFormats")::add);
    }

    /**
     * A new connection for an authenticated client: at negotiate, or for a WebSocket that skipped it.
     */
    public Opened open(Map<String, String> query, String authorization) {
        Optional<HubUser> user;
        try {
            user = authenticator.authenticate(bearerToken(query, authorization));
        } catch (Exception e) {
            log.warn("The authenticator of hub {} failed: {}", context.name(), e.getClass().getName());
            return new Opened(null, Answer.text(500, "The server could not check the access token; try again."));
        }
        if (user.isEmpty()) {
            return new Opened(null, Answer.text(401, "Unauthorized: send a valid bearer token (the Authorization "
                    + "header, or access_token in the query for WebSockets and Server-Sent Events)."));
        }
        if (serverConnections.incrementAndGet() > config.maxConnections()) {
            serverConnections.decrementAndGet();
            return new Opened(null, Answer.text(503, "This server holds signalr.maxConnections ("
                    + config.maxConnections() + ") connections: connect to another instance or retry later."));
        }
        boolean stateful = "true".equals(query.get("useStatefulReconnect")) && config.statefulReconnectBuffer() > 0;
        String id = randomId();
        String token = randomId();
        HubConnection c = new HubConnection(id, token, user.get(), this, stateful);
        byToken.put(token, c);
        return new Opened(c, null);
    }

    private static String bearerToken(Map<String, String> query, String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return query.get("access_token");
    }

    /**
     * The connection a transport request is for: the one its {@code id} names, or, for a WebSocket without an
     * id (the client skipped negotiate), a new one for the authenticated client. The refusal says why not.
     */
    public Opened forTransport(Map<String, String> query, String authorization, boolean webSocket) {
        String token = query.get("id");
        if (token == null && webSocket) {
            return open(query, authorization);
        }
        HubConnection c = connection(token);
        return c != null ? new Opened(c, null) : new Opened(null, Answer.text(404, token == null
                ? "Connection ID required: negotiate first (POST " + path + "/negotiate)"
                : "No Connection with that ID: it ended or never existed; negotiate a new one"));
    }

    /** The connection a transport request names with {@code id}; null when unknown or closed. */
    public HubConnection connection(String token) {
        HubConnection c = token == null ? null : byToken.get(token);
        return c == null || c.isClosed() ? null : c;
    }

    void removed(HubConnection c) {
        if (byToken.remove(c.token(), c)) {
            serverConnections.decrementAndGet();
        }
    }

    /** Runs every connection's timers; called about once a second. */
    public void tick() {
        long now = System.nanoTime();
        for (HubConnection c : byToken.values()) {
            try {
                c.tick(now);
            } catch (RuntimeException e) {
                log.warn("Timers of connection {} failed", c.connectionId(), e);
            }
        }
    }

    /** Closes every connection, telling clients they may reconnect (to another instance). */
    public void closeAll() {
        for (HubConnection c : List.copyOf(byToken.values())) {
            c.close("Server is shutting down.", true, DisconnectReason.SERVER_CLOSED);
        }
    }

    public int connectionCount() {
        return byToken.size();
    }

    private static String randomId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    Hub hub() {
        return hub;
    }

    HubMethods methods() {
        return methods;
    }

    HubContext context() {
        return context;
    }

    String hubName() {
        return context.name();
    }

    public SignalRConfig config() {
        return config;
    }

    SignalRTimers timers() {
        return timers;
    }

    Executor executor() {
        return executor;
    }

    ObservationRegistry observations() {
        return observations;
    }

    HubMetrics metrics() {
        return metrics;
    }
}
