package io.spaghetti.sdk.signalr;

import io.spaghetti.sdk.core.config.ConfigProblems;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.ModuleSection;
import io.spaghetti.sdk.core.config.Validated;
import java.time.Duration;
import java.util.List;

/**
 * Section {@code signalr}; defaults in {@code META-INF/spaghetti-sdk/defaults/signalr.yaml}.
 *
 * @param host              the standalone server's bind address
 * @param port              the standalone server's port; 0 picks a free one
 * @param maxMessageSize    the largest hub message a client may send, in bytes (ASP.NET Core: 32 KB); a larger
 *                          one closes that connection with an error
 * @param maxConnections    connections this server accepts; past it negotiate answers 503
 * @param keepAliveInterval a ping is sent when nothing else was sent for this long
 * @param clientTimeout     a client that sent nothing (not even a ping) for this long is disconnected
 * @param handshakeTimeout  a transport that sends no handshake within this is closed
 * @param sendBuffer        bytes queued for one client; past it the client is a slow consumer and is disconnected
 * @param statefulReconnectBuffer bytes of unacknowledged messages kept per connection for stateful reconnect
 * @param reconnectWindow   how long a dropped stateful-reconnect connection waits for its client to come back
 * @param longPollTimeout   a long poll with nothing to send is answered empty after this
 * @param allowedOrigins    browser origins allowed to call cross-origin (CORS); {@code ["*"]} allows any
 * @param invocationThreads threads that run hub methods (each connection's invocations run one at a time)
 */
public record SignalRConfig(boolean enabled, boolean required, String host, int port, int maxMessageSize,
        int maxConnections, Duration keepAliveInterval, Duration clientTimeout, Duration handshakeTimeout,
        int sendBuffer, int statefulReconnectBuffer, Duration reconnectWindow, Duration longPollTimeout,
        List<String> allowedOrigins, int invocationThreads) implements ModuleSection, Validated {

    public static final ConfigSection<SignalRConfig> SECTION = ConfigSection.of("signalr", SignalRConfig.class);

    public SignalRConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    @Override
    public void validate(ConfigProblems problems, String path) {
        problems.require(port >= 0 && port <= 65535, path + ".port", port, "is not a port", "use 0 to 65535");
        problems.require(maxMessageSize >= 1024 && maxMessageSize <= 16 * 1024 * 1024, path + ".maxMessageSize",
                maxMessageSize, "must be 1024 to 16777216 bytes", "use e.g. 32768, as ASP.NET Core does");
        problems.require(maxConnections >= 1, path + ".maxConnections", maxConnections, "must be at least 1",
                "use e.g. 10000");
        problems.require(positive(keepAliveInterval), path + ".keepAliveInterval", keepAliveInterval,
                "must be positive", "use e.g. 15s, the clients' default");
        problems.require(positive(clientTimeout) && positive(keepAliveInterval)
                && clientTimeout.compareTo(keepAliveInterval) > 0, path + ".clientTimeout", clientTimeout,
                "must be longer than keepAliveInterval", "use e.g. 30s, twice the clients' 15s ping");
        problems.require(positive(handshakeTimeout), path + ".handshakeTimeout", handshakeTimeout, "must be positive",
                "use e.g. 15s");
        problems.require(sendBuffer >= 4096, path + ".sendBuffer", sendBuffer, "must be at least 4096 bytes",
                "use e.g. 1048576 (1 MiB)");
        problems.require(statefulReconnectBuffer >= 0, path + ".statefulReconnectBuffer", statefulReconnectBuffer,
                "must not be negative", "use e.g. 100000, as ASP.NET Core does; 0 turns stateful reconnect off");
        problems.require(positive(reconnectWindow), path + ".reconnectWindow", reconnectWindow, "must be positive",
                "use e.g. 30s");
        problems.require(positive(longPollTimeout), path + ".longPollTimeout", longPollTimeout, "must be positive",
                "use e.g. 90s, as ASP.NET Core does");
        problems.require(invocationThreads >= 1 && invocationThreads <= 1024, path + ".invocationThreads",
                invocationThreads, "must be 1 to 1024", "use e.g. 64");
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
