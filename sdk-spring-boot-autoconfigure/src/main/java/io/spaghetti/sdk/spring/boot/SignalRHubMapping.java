package io.spaghetti.sdk.spring.boot;

import io.spaghetti.sdk.signalr.Authenticator;
import io.spaghetti.sdk.signalr.Hub;
import java.util.Objects;

/**
 * A SignalR hub a Boot service serves on its own port, through Spring's WebSocket support: declare one as a
 * bean and the official SignalR clients connect to {@code path} ({@code POST path/negotiate}, then a
 * WebSocket on {@code path}). The starter also declares the hub's {@code HubContext} as a bean named after this
 * one ({@code documentHub} gives {@code documentHubContext}), to send to its clients on every server.
 *
 * <pre>{@code
 * @Bean
 * SignalRHubMapping documentHub() {
 *     return SignalRHubMapping.of("/hubs/documents", "DocumentHub", new DocumentHub(), Authenticator.anonymous());
 * }
 * }</pre>
 *
 * @param path          where clients connect, e.g. {@code /hubs/documents}
 * @param hubName       the hub's name on the backplane (the .NET hub's type name, to share it with .NET servers)
 * @param hub           the hub's methods
 * @param authenticator who may connect ({@link Authenticator#anonymous()} for a public hub)
 */
public record SignalRHubMapping(String path, String hubName, Hub hub, Authenticator authenticator) {
    public SignalRHubMapping {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(hubName, "hubName");
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(authenticator, "authenticator: use Authenticator.anonymous() for a public hub");
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("a hub path starts with '/' and does not end with one, e.g. /hubs/documents (was '"
                    + path + "')");
        }
    }

    public static SignalRHubMapping of(String path, String hubName, Hub hub, Authenticator authenticator) {
        return new SignalRHubMapping(path, hubName, hub, authenticator);
    }
}
