package io.spaghetti.sdk.signalr;

import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A standalone Jetty 12 server for the hubs: started by {@link SignalRModule#startServer()} on
 * {@code signalr.host}:{@code signalr.port}, closed with the module.
 */
public final class SignalRServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    SignalRServer(SignalRHubs hubs, String host, int port, Handler next) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("spaghetti-sdk-signalr-http");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        // WebSockets and long polls outlive ordinary requests: the hub's own timers close idle clients
        connector.setIdleTimeout(hubs.config().clientTimeout().plus(hubs.config().longPollTimeout()).toMillis());
        server.addConnector(connector);
        server.setHandler(hubs.jettyHandler(server, next));
        server.setStopTimeout(2000);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port}, with a loopback host when bound to every interface. */
    public URI uri() {
        String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0") ? "127.0.0.1"
                : connector.getHost();
        return URI.create("http://" + host + ":" + port());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("The SignalR server did not stop: " + e.getMessage(), e);
        }
    }
}
