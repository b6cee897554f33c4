package io.spaghetti.sdk.signalr;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.signalr.internal.connection.DisconnectReason;
import io.spaghetti.sdk.signalr.internal.connection.HubConnection;
import io.spaghetti.sdk.signalr.internal.connection.HubEndpoint;
import io.spaghetti.sdk.signalr.internal.connection.SocketTransport;
import io.spaghetti.sdk.signalr.internal.jetty.HubHandler;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The hubs this service hosts, each at a path ({@code /hubs/documents}): what clients negotiate with and
 * connect to. Serve them with {@link SignalRModule#startServer()} (a standalone Jetty), mount
 * {@link #jettyHandler(Server)} in a Jetty 12 server of your own, or, in any other server with WebSockets
 * (Spring's WebSocket support), answer {@code POST {path}/negotiate} with {@link #negotiate} and hand each
 * WebSocket on {@code {path}} to {@link #acceptWebSocket}: the protocol stays here.
 */
public final class SignalRHubs implements AutoCloseable {
    private final SignalRConfig config;
    private final Function<String, HubContext> contexts;
    private final MeterRegistry registry;
    private final ObservationRegistry observations;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService invocations;
    private final Map<String, HubEndpoint> endpoints = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ScheduledFuture<?> ticks;

    SignalRHubs(SignalRConfig config, Function<String, HubContext> contexts, MeterRegistry registry,
            ObservationRegistry observations, ScheduledExecutorService scheduler, ThreadFactory threads) {
        this.config = config;
        this.observations = observations;
        this.contexts = contexts;
        this.registry = registry;
        this.scheduler = scheduler;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(config.invocationThreads(), config.invocationThreads(), 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        pool.allowCoreThreadTimeOut(true);
        this.invocations = pool;
        this.ticks = scheduler.scheduleAtFixedRate(() -> endpoints.values().forEach(HubEndpoint::tick), 1, 1,
                TimeUnit.SECONDS);
    }

    /**
     * Hosts {@code hub} at {@code path}. Its sends, groups and users go through the backplane hub
     * {@code hubName} (for a hub .NET servers share, the .NET hub's type full name), so clients on every
     * server see each other.
     *
     * @throws IllegalArgumentException for a bad path, a path already mapped, or a hub class with overloads
     */
    public SignalRHubs map(String path, String hubName, Hub hub, Authenticator authenticator) {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(authenticator, "authenticator: use Authenticator.anonymous() for a public hub");
        if (path == null || !path.startsWith("/") || path.endsWith("/") || path.endsWith("/negotiate")) {
            throw new IllegalArgumentException("Hub path '" + path + "' must start with / and not end with / or "
                    + "/negotiate, e.g. /hubs/documents");
        }
        HubEndpoint endpoint = new HubEndpoint(path, hub, contexts.apply(hubName), authenticator, config, invocations,
                registry, observations, connections);
        if (endpoints.putIfAbsent(path, endpoint) != null) {
            throw new IllegalArgumentException("A hub is already mapped at " + path);
        }
        return this;
    }

    /**
     * A Jetty 12 handler serving every mapped hub (negotiate and the three transports); requests for other
     * paths go to {@code next}, which may be null.
     */
    public Handler jettyHandler(Server server, Handler next) {
        HubHandler hubs = new HubHandler(endpoints::get, config, scheduler);
        Handler.Sequence sequence = next == null ? new Handler.Sequence(hubs) : new Handler.Sequence(hubs, next);
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server);
        upgrade.setHandler(sequence);
        return upgrade;
    }

    /** {@link #jettyHandler(Server, Handler)} with nothing behind it. */
    public Handler jettyHandler(Server server) {
        return jettyHandler(server, null);
    }

    /**
     * Answers {@code POST {path}/negotiate} for a host server that carries WebSockets only (the SPI has no
     * server-sent events or long polling), so clients are offered only that transport.
     *
     * @param query         the request's query parameters ({@code negotiateVersion}, {@code useStatefulReconnect},
     *                      {@code access_token})
     * @param authorization the {@code Authorization} header, or null
     */
    public HubHttpResponse negotiate(String path, Map<String, String> query, String authorization) {
        HubEndpoint endpoint = endpoints.get(path);
        if (endpoint == null) {
            return new HubHttpResponse(404, "text/plain; charset=utf-8", "No hub is mapped at " + path);
        }
        HubEndpoint.Answer a = endpoint.negotiate(query, authorization, false);
        return new HubHttpResponse(a.status(), a.contentType(), a.body());
    }

    /**
     * Takes a WebSocket the host server opened on {@code path} (its query's {@code id} names the negotiated
     * connection; without one the client skipped negotiation). Call it when the socket is open; then pass
     * each message to {@link HubSocket#received} and the end to {@link HubSocket#closed}.
     *
     * @throws HubRequestException to answer instead of upgrading (or to close the socket with): 401 without a
     *                             valid token, 404 for an unknown hub or connection, 409 when it has a transport
     */
    public HubSocket acceptWebSocket(String path, Map<String, String> query, String authorization, ClientSocket socket)
            throws HubRequestException {
        HubEndpoint endpoint = endpoints.get(path);
        if (endpoint == null) {
            throw new HubRequestException(404, "No hub is mapped at " + path);
        }
        HubEndpoint.Opened opened = endpoint.forTransport(query, authorization, true);
        if (opened.refusal() != null) {
            throw new HubRequestException(opened.refusal().status(), opened.refusal().body());
        }
        HubConnection connection = opened.connection();
        SocketTransport transport = new SocketTransport(socket);
        if (!connection.attach(transport)) {
            throw new HubRequestException(409, "This connection already has a transport");
        }
        return new HubSocket() {
            @Override
            public void received(byte[] data) {
                connection.receive(data);
            }

            @Override
            public void closed(boolean lost) {
                if (lost) {
                    connection.transportLost(transport);
                } else {
                    connection.transportEnded(transport, DisconnectReason.CLIENT_CLOSED);
                }
            }
        };
    }

    /** Client connections this server holds, over every hub. */
    public int connectionCount() {
        return connections.get();
    }

    SignalRConfig config() {
        return config;
    }

    /** Closes every connection (clients are told they may reconnect, to another instance) and stops the threads. */
    @Override
    public void close() {
        ticks.cancel(false);
        endpoints.values().forEach(HubEndpoint::closeAll);
        invocations.shutdown();
        try {
            invocations.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        invocations.shutdownNow();
    }
}
