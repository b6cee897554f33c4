package io.spaghetti.sdk.signalr.internal.jetty;

import io.spaghetti.sdk.signalr.internal.connection.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Long polling: a payload waits for the client's next poll, and a poll waits up to {@code longPollTimeout}
 * for a payload. The connection queues while one payload waits, so each poll takes everything queued.
 */
final class LongPollingTransport implements Transport {
    private final ScheduledExecutorService scheduler;
    private final Duration pollTimeout;
    private Response poll;
    private Callback pollDone;
    private ScheduledFuture<?> pollExpiry;
    private byte[] waiting;
    private boolean waitingBinary;
    private Consumer<Throwable> waitingDone;
    private boolean closed;

    LongPollingTransport(ScheduledExecutorService scheduler, Duration pollTimeout) {
        this.scheduler = scheduler;
        this.pollTimeout = pollTimeout;
    }

    @Override
    public String name() {
        return "LongPolling";
    }

    /** A poll arrived: answered at once with what waits, or when something is sent, or empty at the timeout. */
    void poll(Response response, Callback done) {
        Response previous;
        Callback previousDone;
        synchronized (this) {
            previous = poll;
            previousDone = pollDone;
            if (pollExpiry != null) {
                pollExpiry.cancel(false);
            }
            poll = null;
            pollDone = null;
        }
        if (previous != null) {
            answer(previous, previousDone, 204, null, false);   // a client polls once at a time: the old one is gone
        }
        byte[] payload;
        boolean binary;
        Consumer<Throwable> written;
        boolean end;
        synchronized (this) {
            payload = waiting;
            binary = waitingBinary;
            written = waitingDone;
            waiting = null;
            waitingDone = null;
            end = closed && payload == null;
            if (payload == null && !end) {
                poll = response;
                pollDone = done;
                pollExpiry = scheduler.schedule(this::expire, pollTimeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
        }
        if (end) {
            answer(response, done, 204, null, false);
        } else {
            answer(response, done, 200, payload, binary);
            written.accept(null);
        }
    }

    private void expire() {
        Response r;
        Callback d;
        synchronized (this) {
            r = poll;
            d = pollDone;
            poll = null;
            pollDone = null;
        }
        if (r != null) {
            answer(r, d, 200, new byte[0], false);
        }
    }

    @Override
    public void send(byte[] payload, boolean binary, Consumer<Throwable> done) {
        Response r;
        Callback d;
        synchronized (this) {
            r = poll;
            d = pollDone;
            if (r == null) {
                waiting = payload;
                waitingBinary = binary;
                waitingDone = done;
                return;
            }
            poll = null;
            pollDone = null;
            pollExpiry.cancel(false);
        }
        answer(r, d, 200, payload, binary);
        done.accept(null);
    }

    @Override
    public void close() {
        Response r;
        Callback d;
        synchronized (this) {
            closed = true;
            r = waiting == null ? poll : null;
            d = pollDone;
            if (r != null) {
                poll = null;
                pollDone = null;
                pollExpiry.cancel(false);
            }
        }
        if (r != null) {
            answer(r, d, 204, null, false);
        }
    }

    private static void answer(Response response, Callback done, int status, byte[] body, boolean binary) {
        response.setStatus(status);
        if (body == null) {
            response.write(true, null, done);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, binary ? "application/octet-stream" : "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(body), done);
    }
}
