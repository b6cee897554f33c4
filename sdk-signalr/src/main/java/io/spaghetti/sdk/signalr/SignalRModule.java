package io.spaghetti.sdk.signalr;

import io.spaghetti.sdk.backplane.BackplaneConfig;
import io.spaghetti.sdk.backplane.BackplaneModule;
import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.config.ConfigSection;
import java.util.Set;
import org.eclipse.jetty.server.Handler;

/**
 * Module {@code signalr}: SignalR hubs hosted by this service for the official SignalR clients. Map hubs
 * on {@link #hubs()}, then serve them with {@link #startServer()} or mount them in your own server. Sends go
 * through the backplane, so with Redis they reach clients on every server, .NET ones included; with
 * {@code redis.enabled: false} hubs work on this server alone.
 */
public final class SignalRModule implements SdkModule {
    private volatile SignalRConfig config;
    private volatile SignalRHubs hubs;
    private volatile SignalRServer server;

    @Override
    public String name() {
        return "signalr";
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of("backplane");
    }

    @Override
    public ConfigSection<SignalRConfig> configSection() {
        return SignalRConfig.SECTION;
    }

    @Override
    public void start(ModuleContext context) {
        if (!context.config().section(BackplaneConfig.SECTION).enabled()) {
            throw new IllegalStateException("Module signalr sends through the backplane, and backplane.enabled is "
                    + "false: enable it (with redis.enabled: false its hubs live in this process), or set "
                    + "signalr.enabled: false");
        }
        BackplaneModule backplane = context.module(BackplaneModule.class);
        SignalRConfig c = context.config().section(SignalRConfig.SECTION);
        hubs = new SignalRHubs(c, backplane::hub, context.meterRegistry(), context.observationRegistry(), context.scheduler(),
                context.threadFactory("signalr-hub"));
        config = c;
    }

    /** Where hubs are mapped. */
    public SignalRHubs hubs() {
        SignalRHubs h = hubs;
        if (h == null) {
            throw new IllegalStateException("Module signalr is not started (see sdk.health())");
        }
        return h;
    }

    /** Starts the standalone server on {@code signalr.host}:{@code signalr.port} (once; later calls return it). */
    public SignalRServer startServer() throws Exception {
        return startServer(null);
    }

    /**
     * {@link #startServer()}, with {@code next} answering the requests that are not for a hub (a page that
     * uses the hubs, served from the same origin so the browser needs no CORS); null for none.
     */
    public synchronized SignalRServer startServer(Handler next) throws Exception {
        if (server == null) {
            server = new SignalRServer(hubs(), config.host(), config.port(), next);
        }
        return server;
    }

    @Override
    public Health health() {
        SignalRHubs h = hubs;
        if (h == null) {
            return Health.down("not started");
        }
        SignalRServer s = server;
        return Health.up(Health.details("connections", h.connectionCount(), "server",
                s == null ? "not started (hubs mounted elsewhere, or none yet)" : s.uri().toString()));
    }

    @Override
    public void close() {
        SignalRServer s = server;
        server = null;
        SignalRHubs h = hubs;
        hubs = null;
        if (h != null) {
            h.close();
        }
        if (s != null) {
            s.close();
        }
    }
}
