package io.spaghetti.sdk.signalr.internal.jetty;

import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Cross-origin access for browsers on another origin. The SignalR client sends credentials, so an allowed
 * origin is echoed (never {@code *}) with {@code Access-Control-Allow-Credentials}.
 */
final class Cors {
    private final Set<String> origins;
    private final boolean any;

    Cors(List<String> allowedOrigins) {
        this.origins = Set.copyOf(allowedOrigins);
        this.any = origins.contains("*");
    }

    void apply(Request request, Response response) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null || !(any || origins.contains(origin))) {
            return;
        }
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        response.getHeaders().add(HttpHeader.VARY, "Origin");
    }

    void preflight(Request request, Response response) {
        if (!response.getHeaders().contains(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            return;
        }
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, DELETE, OPTIONS");
        String asked = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
        if (asked != null) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, asked);
        }
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
    }
}
