package io.spaghetti.example;

import static io.spaghetti.example.ExampleService.query;
import static io.spaghetti.example.ExampleService.respond;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.spaghetti.sdk.backplane.BackplaneModule;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.backplane.HubInvocation;
import io.spaghetti.sdk.backplane.LocalConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Document collaboration over the backplane: each server-sent-events stream is a local connection
 * in the document's group, so a notification posted to any instance reaches every stream.
 */
final class Collaboration implements AutoCloseable {
    static final String HUB = "Spaghetti.Collaboration.DocumentHub";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BackplaneModule backplane;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "example-sse-keepalive");
        t.setDaemon(true);
        return t;
    });

    record Notification(String document, String by, String message) {
    }

    Collaboration(BackplaneModule backplane) {
        this.backplane = backplane;
        // a comment line every 10 s finds streams whose client went away
        keepAlive.scheduleAtFixedRate(() -> streams.forEach(s -> s.write(": keep-alive\n\n")), 10, 10, TimeUnit.SECONDS);
    }

    static String group(String documentId) {
        return "document:" + documentId;
    }

    /** The hub, or null after answering 503 when the backplane is not running (embedded mode, Redis down). */
    private HubContext hub(HttpExchange exchange) throws IOException {
        try {
            return backplane.hub(HUB);
        } catch (IllegalStateException e) {
            respond(exchange, 503, "text/plain", e.getMessage() + "\n");
            return null;
        }
    }

    void notify(HttpExchange exchange, String documentId) throws IOException {
        HubContext hub = hub(exchange);
        if (hub == null) {
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "text/plain", "POST the message to /documents/{id}/notify?user=u\n");
            return;
        }
        String by = query(exchange.getRequestURI().getRawQuery()).getOrDefault("user", "anonymous");
        String message = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).strip();
        hub.sendGroup(group(documentId), "DocumentChanged", new Notification(documentId, by, message)).join();
        respond(exchange, 202, "application/json", JSON.writeValueAsString(Map.of("group", group(documentId))));
    }

    void presence(HttpExchange exchange, String documentId) throws IOException {
        HubContext hub = hub(exchange);
        if (hub == null) {
            return;
        }
        var present = hub.presence(group(documentId)).stream().map(p -> Map.of("userId", p.userId() == null ? "anonymous" : p.userId(),
                "connectionId", p.connectionId(), "server", p.serverName(), "expiresAt", p.expiresAt().toString())).toList();
        respond(exchange, 200, "application/json", JSON.writeValueAsString(present));
    }

    /** Keeps the response open after the handler returns; the backplane's sink writes to it. */
    void events(HttpExchange exchange, String documentId) throws IOException {
        HubContext hub = hub(exchange);
        if (hub == null) {
            return;
        }
        String user = query(exchange.getRequestURI().getRawQuery()).get("user");
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        Stream stream = new Stream(exchange);
        stream.connection = hub.register("sse-" + UUID.randomUUID(), user, "json", frame -> {
            HubInvocation inv = frame.invocation();
            stream.write("event: " + inv.target() + "\ndata: " + JSON.writeValueAsString(inv.arguments()) + "\n\n");
        });
        streams.add(stream);
        hub.addToGroup(stream.connection.id(), group(documentId)).join();
        stream.write(": joined " + group(documentId) + " as " + stream.connection.id() + "\n\n");
    }

    private final class Stream {
        private final HttpExchange exchange;
        private final OutputStream out;
        private volatile LocalConnection connection;

        Stream(HttpExchange exchange) {
            this.exchange = exchange;
            this.out = exchange.getResponseBody();
        }

        synchronized void write(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException clientGone) {
                close();
            }
        }

        void close() {
            streams.remove(this);
            if (connection != null) {
                connection.close();
            }
            exchange.close();
        }
    }

    @Override
    public void close() {
        keepAlive.shutdownNow();
        streams.forEach(Stream::close);
    }
}
