package io.spaghetti.sdk.signalr.internal.jetty;

import io.spaghetti.sdk.signalr.internal.connection.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Server-Sent Events: each payload an event whose lines are {@code data:} lines (text protocols only). */
final class EventStreamTransport implements Transport {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private final Response response;
    private final Callback done;

    EventStreamTransport(Response response, Callback done) {
        this.response = response;
        this.done = done;
    }

    @Override
    public String name() {
        return "ServerSentEvents";
    }

    @Override
    public void send(byte[] payload, boolean binary, Consumer<Throwable> written) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 16);
        int start = 0;
        for (int i = 0; i <= payload.length; i++) {
            if (i == payload.length || payload[i] == '\n') {
                int end = i > start && payload[i - 1] == '\r' ? i - 1 : i;
                out.writeBytes(DATA);
                out.write(payload, start, end - start);
                out.write('\r');
                out.write('\n');
                start = i + 1;
            }
        }
        out.write('\r');
        out.write('\n');
        response.write(false, ByteBuffer.wrap(out.toByteArray()), Callback.from(() -> written.accept(null), written));
    }

    @Override
    public void close() {
        response.write(true, null, done);
    }
}
