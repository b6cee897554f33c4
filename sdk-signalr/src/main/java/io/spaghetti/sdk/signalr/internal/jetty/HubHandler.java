package io.spaghetti.sdk.signalr.internal.jetty;

import io.spaghetti.sdk.signalr.SignalRConfig;
import io.spaghetti.sdk.signalr.internal.connection.DisconnectReason;
import io.spaghetti.sdk.signalr.internal.connection.HubConnection;
import io.spaghetti.sdk.signalr.internal.connection.HubEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The HTTP side of SignalR for one Jetty server: {@code POST {hub}/negotiate}, then on {@code {hub}?id=token}
 * a WebSocket upgrade, a GET for Server-Sent Events (Accept: text/event-stream) or a long poll, a POST
 * carrying client messages, a DELETE ending a long-polling connection. Requests for other paths fall
 * through to the next handler. Must sit inside a {@code WebSocketUpgradeHandler}.
 */
public final class HubHandler extends Handler.Abstract.NonBlocking {
    private final Function<String, HubEndpoint> endpoints;
    private final SignalRConfig config;
    private final ScheduledExecutorService scheduler;
    private final Cors cors;

    public HubHandler(Function<String, HubEndpoint> endpoints, SignalRConfig config, ScheduledExecutorService scheduler) {
        this.endpoints = endpoints;
        this.config = config;
        this.scheduler = scheduler;
        this.cors = new Cors(config.allowedOrigins());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        boolean negotiate = path.endsWith("/negotiate");
        HubEndpoint endpoint = endpoints.apply(negotiate ? path.substring(0, path.length() - "/negotiate".length()) : path);
        if (endpoint == null) {
            return false;
        }
        cors.apply(request, response);
        String method = request.getMethod();
        if (HttpMethod.OPTIONS.is(method)) {
            cors.preflight(request, response);
            return answer(response, callback, 204, null, null);
        }
        Map<String, String> query = query(request);
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (negotiate) {
            if (!HttpMethod.POST.is(method)) {
                return answer(response, callback, 405, "text/plain; charset=utf-8", "Negotiate with POST");
            }
            HubEndpoint.Answer a = endpoint.negotiate(query, authorization);
            return answer(response, callback, a.status(), a.contentType(), a.body());
        }
        boolean webSocket = HttpMethod.GET.is(method) && "websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE));
        HubEndpoint.Opened opened = endpoint.forTransport(query, authorization, webSocket);
        if (opened.refusal() != null) {
            HubEndpoint.Answer refusal = opened.refusal();
            return answer(response, callback, refusal.status(), refusal.contentType(), refusal.body());
        }
        HubConnection connection = opened.connection();
        if (webSocket) {
            return upgrade(request, response, callback, connection);
        }
        if (HttpMethod.GET.is(method)) {
            String accept = request.getHeaders().get(HttpHeader.ACCEPT);
            return accept != null && accept.contains("text/event-stream")
                    ? eventStream(response, callback, connection)
                    : longPoll(response, callback, connection);
        }
        if (HttpMethod.POST.is(method)) {
            return receive(request, response, callback, connection);
        }
        if (HttpMethod.DELETE.is(method)) {
            LongPollingTransport lp = currentLongPolling(connection);
            if (lp == null) {
                return answer(response, callback, 400, "text/plain; charset=utf-8",
                        "DELETE ends long-polling connections; close a WebSocket or event stream instead");
            }
            connection.transportEnded(lp, DisconnectReason.CLIENT_CLOSED);
            lp.close();
            return answer(response, callback, 202, "text/plain; charset=utf-8", "");
        }
        return answer(response, callback, 405, "text/plain; charset=utf-8", "Use GET, POST or DELETE");
    }

    private boolean upgrade(Request request, Response response, Callback callback, HubConnection connection) {
        String current = connection.transportName();
        if (current != null && !(connection.isStateful() && "WebSockets".equals(current))) {
            return answer(response, callback, 409, "text/plain; charset=utf-8",
                    "This connection already has a " + current + " transport");
        }
        ServerWebSocketContainer container = ServerWebSocketContainer.get(request.getContext());
        WebSocketTransport transport = new WebSocketTransport(connection, config.maxMessageSize());
        try {
            // no permessage-deflate, as ASP.NET Core by default: it costs a zlib context per connection
            // (about 130 KiB here) and CPU on both ends for hub messages that are small
            if (container.upgrade((rq, rs, cb) -> {
                rs.setExtensions(List.of());
                return transport;
            }, request, response, callback)) {
                return true;
            }
        } catch (Exception e) {
            callback.failed(e);
            return true;
        }
        return answer(response, callback, 400, "text/plain; charset=utf-8", "Not a valid WebSocket upgrade request");
    }

    private boolean eventStream(Response response, Callback callback, HubConnection connection) {
        if (connection.transportName() != null) {
            return answer(response, callback, 409, "text/plain; charset=utf-8",
                    "This connection already has a " + connection.transportName() + " transport");
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        EventStreamTransport transport = new EventStreamTransport(response, callback);
        // an empty line first commits the headers, so EventSource reports the stream open
        response.write(false, ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.US_ASCII)), Callback.from(() -> {
            if (!connection.attach(transport)) {
                transport.close();
            }
        }, callback::failed));
        return true;
    }

    private boolean longPoll(Response response, Callback callback, HubConnection connection) {
        connection.touch();
        LongPollingTransport transport = currentLongPolling(connection);
        if (transport == null) {
            String current = connection.transportName();
            if (current != null) {
                return answer(response, callback, 409, "text/plain; charset=utf-8",
                        "This connection already has a " + current + " transport");
            }
            transport = new LongPollingTransport(scheduler, config.longPollTimeout());
            if (!connection.attach(transport)) {
                return answer(response, callback, 409, "text/plain; charset=utf-8", "This connection cannot take a transport");
            }
            return answer(response, callback, 200, "text/plain; charset=utf-8", "");   // the first poll opens it
        }
        transport.poll(response, callback);
        return true;
    }

    private static LongPollingTransport currentLongPolling(HubConnection connection) {
        return connection.transport() instanceof LongPollingTransport lp ? lp : null;
    }

    private boolean receive(Request request, Response response, Callback callback, HubConnection connection) {
        if (connection.transportName() == null || "WebSockets".equals(connection.transportName())) {
            return answer(response, callback, 409, "text/plain; charset=utf-8",
                    "Open the Server-Sent Events or long-polling transport before sending");
        }
        int limit = config.maxMessageSize() * 4;
        Content.Source.asByteArrayAsync(request, limit).whenComplete((body, error) -> {
            if (error != null) {
                answer(response, callback, 413, "text/plain; charset=utf-8", "The request body exceeds "
                        + limit + " bytes (4 x signalr.maxMessageSize)");
                return;
            }
            connection.receive(body);
            answer(response, callback, 200, "text/plain; charset=utf-8", "");
        });
        return true;
    }

    private static Map<String, String> query(Request request) {
        Fields fields = Request.extractQueryParameters(request);
        Map<String, String> out = new HashMap<>();
        for (Fields.Field f : fields) {
            out.put(f.getName(), f.getValue());
        }
        return out;
    }

    private static boolean answer(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        if (body == null || body.isEmpty()) {
            response.write(true, null, callback);
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
