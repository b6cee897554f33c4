package io.spaghetti.sdk.signalr.internal.connection;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.spaghetti.sdk.signalr.HubException;
import io.spaghetti.sdk.signalr.internal.dispatch.ClientStream;
import io.spaghetti.sdk.signalr.internal.dispatch.HubMethods;
import io.spaghetti.sdk.signalr.internal.dispatch.HubMethods.HubMethod;
import io.spaghetti.sdk.signalr.internal.protocol.HubCodec;
import io.spaghetti.sdk.signalr.internal.protocol.HubMessage;
import io.spaghetti.sdk.signalr.internal.protocol.HubMessage.Completion;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import io.micrometer.observation.Observation;
import io.spaghetti.sdk.core.tracing.TraceHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's hub method invocations, one at a time and in order, on the hub's shared threads
 * (ASP.NET Core's default of one parallel invocation per client), and tracks its streams both ways.
 * Stream items, stream ends and client results are handled on the receiving thread, so a hub method
 * that awaits them never waits behind itself.
 */
final class Invocations {
    private static final Logger log = LoggerFactory.getLogger(Invocations.class);
    /**
     * A hub method call as a span (tags hub, method), a child of the caller's span when the client sent its
     * {@code traceparent} in the invocation headers (the .NET client does): what the method sends or reads is its child.
     */
    static final String INVOCATION = "spaghetti.signalr.invocation";
    /** Items a client may upload ahead of the hub method's demand before its stream fails. */
    private static final int CLIENT_STREAM_BUFFER = 1024;

    private record Upload(ClientStream stream, JavaType itemType) {
    }

    private final HubConnection connection;
    private final HubEndpoint endpoint;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final Map<String, Flow.Subscription> downloads = new ConcurrentHashMap<>();

    Invocations(HubConnection connection, HubEndpoint endpoint) {
        this.connection = connection;
        this.endpoint = endpoint;
    }

    void connected() {
        execute(() -> {
            try {
                endpoint.hub().onConnected(connection);
            } catch (Exception e) {
                log.warn("onConnected of hub {} failed for connection {}", endpoint.hubName(), connection.connectionId(), e);
                connection.close("The server refused the connection in onConnected.", false,
                        DisconnectReason.SERVER_CLOSED);
            }
        });
    }

    void disconnected(boolean wasConnected, Throwable error) {
        downloads.values().forEach(Flow.Subscription::cancel);
        downloads.clear();
        uploads.values().forEach(u -> u.stream().finish(new HubException("The connection closed.")));
        uploads.clear();
        if (wasConnected) {
            execute(() -> {
                try {
                    endpoint.hub().onDisconnected(connection, error);
                } catch (Exception e) {
                    log.warn("onDisconnected of hub {} failed for connection {}", endpoint.hubName(),
                            connection.connectionId(), e);
                }
            });
        }
    }

    /** Registers the invocation's upload streams now (their items follow at once), then queues the call. */
    void submit(HubMessage.Invocation inv) {
        HubMethod method = endpoint.methods().find(inv.target());
        List<ClientStream> streams = new ArrayList<>();
        List<HubMethods.Parameter> streamParams = method == null ? List.of()
                : method.parameters().stream().filter(p -> p.source() == HubMethods.Source.CLIENT_STREAM).toList();
        if (streamParams.size() == inv.streamIds().size()) {
            for (int i = 0; i < streamParams.size(); i++) {
                ClientStream s = new ClientStream(CLIENT_STREAM_BUFFER);
                uploads.put(inv.streamIds().get(i), new Upload(s, streamParams.get(i).type()));
                streams.add(s);
            }
        }
        execute(() -> run(inv, method, streams));
    }

    void streamItem(HubMessage.StreamItem item) {
        Upload u = uploads.get(item.invocationId());
        if (u == null) {
            return;   // a stream of a refused invocation, or one the server already ended
        }
        Object value;
        try {
            value = codec().bind((JsonNode) item.item(), u.itemType());
        } catch (IllegalArgumentException e) {
            uploads.remove(item.invocationId());
            u.stream().finish(new HubException("A stream item does not match the stream's type " + u.itemType()));
            return;
        }
        if (!u.stream().push(value)) {
            uploads.remove(item.invocationId());
            u.stream().finish(new HubException("The client sent more than " + CLIENT_STREAM_BUFFER
                    + " stream items ahead of the hub method"));
        }
    }

    /** True when {@code c} ended an upload stream rather than answering a client result. */
    boolean streamCompleted(Completion c) {
        Upload u = uploads.remove(c.invocationId());
        if (u == null) {
            return false;
        }
        u.stream().finish(c.error() == null ? null : new HubException(c.error()));
        return true;
    }

    void cancel(String invocationId) {
        Flow.Subscription s = downloads.remove(invocationId);
        if (s != null) {
            s.cancel();
        }
    }

    private void run(HubMessage.Invocation inv, HubMethod method, List<ClientStream> streams) {
        long start = System.nanoTime();
        if (method == null) {
            fail(inv, HubMetrics.UNKNOWN_METHOD, start, "Unknown hub method '" + inv.target() + "'");
            return;
        }
        boolean streaming = method.returns() == HubMethods.Returns.STREAM;
        if (inv.stream() != streaming) {
            fail(inv, method.name(), start, "The client attempted to invoke the " + (streaming ? "" : "non-")
                    + "streaming '" + inv.target() + "' method with a " + (inv.stream() ? "" : "non-")
                    + "streaming invocation.");
            return;
        }
        Object[] values;
        try {
            values = bind(inv, method, streams);
        } catch (IllegalArgumentException e) {
            fail(inv, method.name(), start, "Failed to invoke '" + inv.target() + "': " + e.getMessage());
            return;
        }
        Object result;
        Observation call = endpoint.observations().isNoop() ? Observation.NOOP
                : Observation.createNotStarted(INVOCATION, () -> TraceHeaders.receiving(inv.headers()),
                                endpoint.observations())
                        .contextualName("hub " + endpoint.context().name() + " " + method.name())
                        .lowCardinalityKeyValue("hub", endpoint.context().name())
                        .lowCardinalityKeyValue("method", method.name()).start();
        try (Observation.Scope ignored = call.openScope()) {
            result = method.method().invoke(endpoint.hub(), values);
        } catch (InvocationTargetException e) {
            call.error(e.getCause());
            fail(inv, method.name(), start, errorFor(inv.target(), e.getCause()));
            return;
        } catch (IllegalAccessException e) {
            fail(inv, method.name(), start, errorFor(inv.target(), e));
            return;
        } finally {
            call.stop();
        }
        switch (method.returns()) {
            case VOID -> succeed(inv, method.name(), start, Completion.empty(inv.invocationId()));
            case VALUE -> succeed(inv, method.name(), start, Completion.ofResult(inv.invocationId(), result));
            case FUTURE -> ((CompletionStage<?>) result).whenComplete((value, error) -> {
                if (error != null) {
                    fail(inv, method.name(), start, errorFor(inv.target(), error));
                } else {
                    succeed(inv, method.name(), start, Completion.ofResult(inv.invocationId(), value));
                }
            });
            case STREAM -> streamTo(inv, method.name(), start, (Flow.Publisher<?>) result);
        }
    }

    private Object[] bind(HubMessage.Invocation inv, HubMethod method, List<ClientStream> streams) {
        if (inv.arguments().size() != method.argumentCount()) {
            throw new IllegalArgumentException("it takes " + method.argumentCount() + " argument(s), the client sent "
                    + inv.arguments().size());
        }
        if (inv.streamIds().size() != method.streamCount()) {
            throw new IllegalArgumentException("it takes " + method.streamCount() + " stream(s), the client sent "
                    + inv.streamIds().size());
        }
        Object[] values = new Object[method.parameters().size()];
        Iterator<JsonNode> args = inv.arguments().iterator();
        Iterator<ClientStream> uploadsIn = streams.iterator();
        int argument = 0;
        for (int i = 0; i < values.length; i++) {
            HubMethods.Parameter p = method.parameters().get(i);
            switch (p.source()) {
                case CALLER -> values[i] = connection;
                case CLIENT_STREAM -> values[i] = uploadsIn.next();
                case ARGUMENT -> {
                    argument++;
                    try {
                        values[i] = codec().bind(args.next(), p.type());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("argument " + argument + " is not a "
                                + p.type().getRawClass().getSimpleName());
                    }
                }
            }
        }
        return values;
    }

    private void streamTo(HubMessage.Invocation inv, String method, long start, Flow.Publisher<?> publisher) {
        String id = inv.invocationId();
        publisher.subscribe(new Flow.Subscriber<Object>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                if (connection.isClosed()) {
                    s.cancel();
                    return;
                }
                downloads.put(id, s);
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Object item) {
                connection.send(new HubMessage.StreamItem(id, item));
            }

            @Override
            public void onError(Throwable t) {
                if (downloads.remove(id) != null) {
                    fail(inv, method, start, errorFor(inv.target(), t));
                }
            }

            @Override
            public void onComplete() {
                if (downloads.remove(id) != null) {
                    succeed(inv, method, start, Completion.empty(id));
                }
            }
        });
    }

    private void succeed(HubMessage.Invocation inv, String method, long start, Completion completion) {
        endpoint.metrics().invoked(method, true, System.nanoTime() - start);
        if (inv.invocationId() != null) {
            connection.send(completion);
        }
    }

    private void fail(HubMessage.Invocation inv, String method, long start, String error) {
        endpoint.metrics().invoked(method, false, System.nanoTime() - start);
        if (inv.invocationId() != null) {
            connection.send(Completion.ofError(inv.invocationId(), error));
        } else {
            log.debug("Invocation of '{}' without an invocation id failed: {}", inv.target(), error);
        }
    }

    /** What the client may read: a HubException's message, else nothing of the server's internals. */
    private String errorFor(String target, Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof InvocationTargetException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String base = "An unexpected error occurred invoking '" + target + "' on the server.";
        if (cause instanceof HubException) {
            return base + " HubException: " + cause.getMessage();
        }
        log.warn("Hub method {} of hub {} failed", target, endpoint.hubName(), cause);
        return base;
    }

    private HubCodec codec() {
        return connection.codec();
    }

    private void execute(Runnable task) {
        queue.add(task);
        schedule();
    }

    private void schedule() {
        if (!queue.isEmpty() && running.compareAndSet(false, true)) {
            try {
                endpoint.executor().execute(this::drain);
            } catch (RejectedExecutionException shuttingDown) {
                running.set(false);
                queue.clear();
            }
        }
    }

    private void drain() {
        Runnable task;
        while ((task = queue.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("A task of connection {} failed", connection.connectionId(), e);
            }
        }
        running.set(false);
        schedule();
    }
}
