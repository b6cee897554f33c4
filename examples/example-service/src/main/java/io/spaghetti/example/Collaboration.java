package io.spaghetti.example;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.spaghetti.sdk.backplane.BackplaneModule;
import io.spaghetti.sdk.backplane.ConnectionSink;
import io.spaghetti.sdk.backplane.HubContext;
import io.spaghetti.sdk.backplane.HubInvocation;
import io.spaghetti.sdk.backplane.LocalConnection;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Document collaboration over the backplane: each server-sent-events stream is a local connection in the
 * document's group, so a notification posted to any instance reaches every stream. Events are written by the
 * example's own writer threads, never on the backplane's: a slow stream delays only itself, and one that falls
 * {@value #MAX_PENDING} events behind is closed.
 */
final class Collaboration implements AutoCloseable {
    static final String HUB = DocumentHub.NAME;
    private static final int MAX_PENDING = 1000;

    private final BackplaneModule backplane;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final ExecutorService writers = Executors.newFixedThreadPool(2, daemon("example-sse-writer"));
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(daemon("example-sse-keepalive"));

    record Notification(String document, String by, String message) {
    }

    Collaboration(BackplaneModule backplane) {
        this.backplane = backplane;
        // a comment every 10 s finds streams whose client went away
        keepAlive.scheduleAtFixedRate(() -> streams.forEach(s -> s.enqueue(c -> c.sendComment("keep-alive"))), 10, 10,
                TimeUnit.SECONDS);
    }

    static String group(String documentId) {
        return "document:" + documentId;
    }

    /** The hub; a 503 when the backplane is not running. Checked before a stream starts, so an outage is never a 200. */
    HubContext hub() {
        return ExampleService.require("backplane", () -> backplane.hub(HUB));
    }

    void notify(Context ctx) {
        String documentId = Requests.id(ctx, "document");
        String by = Requests.single(ctx, "user", false);
        if (by != null && !by.matches(Requests.ID)) {
            throw Requests.Problem.badRequest("user ids are 1 to 64 letters, digits, '-' or '_'");
        }
        String message = Requests.required("the message (the request body)", ctx.body().strip(), 2000);
        hub().sendGroup(group(documentId), "DocumentChanged",
                new Notification(documentId, by == null ? "anonymous" : by, message)).join();
        ctx.status(HttpStatus.ACCEPTED).json(Map.of("group", group(documentId)));
    }

    void presence(Context ctx) {
        String documentId = Requests.id(ctx, "document");
        ctx.json(hub().presence(group(documentId)).stream().map(p -> Map.of(
                "userId", p.userId() == null ? "anonymous" : p.userId(), "connectionId", p.connectionId(),
                "server", p.serverName(), "expiresAt", p.expiresAt().toString())).toList());
    }

    /** Runs before the stream opens: bad input and an outage are answered as such, not as an empty stream. */
    void checkEvents(Context ctx) {
        Requests.id(ctx, "document");
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new Requests.Problem(HttpStatus.NOT_ACCEPTABLE,
                    "this is an event stream: send Accept: text/event-stream (curl -N -H 'Accept: text/event-stream')");
        }
        String user = Requests.single(ctx, "user", false);
        if (user != null && !user.matches(Requests.ID)) {
            throw Requests.Problem.badRequest("user ids are 1 to 64 letters, digits, '-' or '_'");
        }
        hub();
    }

    void events(SseClient client) {
        Context ctx = client.ctx();
        String documentId = ctx.pathParam("id");
        HubContext hub = hub();
        Stream stream = new Stream(client);
        client.keepAlive();
        client.onClose(stream::close);
        // the sink only queues the event for the stream's writer: non-blocking, so the backplane calls it directly
        stream.connection = hub.register("sse-" + UUID.randomUUID(), ctx.queryParam("user"), "json",
                ConnectionSink.nonBlocking(frame -> {
                    HubInvocation inv = frame.invocation();
                    stream.enqueue(c -> c.sendEvent(inv.target(), Requests.JSON.writeValueAsString(inv.arguments())));
                }));
        streams.add(stream);
        if (stream.closed.get()) {
            stream.connection.close();
            return;
        }
        hub.addToGroup(stream.connection.id(), group(documentId)).join();
        stream.enqueue(c -> c.sendComment("joined " + group(documentId) + " as " + stream.connection.id()));
    }

    private interface Write {
        void to(SseClient client) throws Exception;
    }

    /** One stream's events in order, written by one writer thread at a time. */
    private final class Stream {
        private final SseClient client;
        private final Queue<Write> pending = new ConcurrentLinkedQueue<>();
        private final AtomicInteger size = new AtomicInteger();
        private final AtomicBoolean draining = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile LocalConnection connection;

        Stream(SseClient client) {
            this.client = client;
        }

        void enqueue(Write write) {
            if (size.incrementAndGet() > MAX_PENDING) {
                close();
                return;
            }
            pending.add(write);
            if (draining.compareAndSet(false, true)) {
                writers.execute(this::drain);
            }
        }

        private void drain() {
            try {
                for (Write w; (w = pending.poll()) != null; ) {
                    size.decrementAndGet();
                    if (client.terminated()) {
                        close();
                        return;
                    }
                    w.to(client);
                }
            } catch (Exception clientGone) {
                close();
            } finally {
                draining.set(false);
                if (!pending.isEmpty() && draining.compareAndSet(false, true)) {
                    writers.execute(this::drain);
                }
            }
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                streams.remove(this);
                LocalConnection c = connection;
                if (c != null) {
                    c.close();
                }
                client.close();
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        keepAlive.shutdownNow();
        streams.forEach(Stream::close);
        writers.shutdownNow();
    }
}
