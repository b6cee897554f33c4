package io.spaghetti.sdk.core.internal.redis;

import java.util.Locale;
import io.spaghetti.sdk.core.redis.RedisConnectException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * Turns Redisson's connection failures into a {@link Reason}. A plain-text client talking to a
 * TLS port only sees a timeout, so a timeout is followed by a one-off plain PING probe.
 */
public final class RedisFailureClassifier {
    private RedisFailureClassifier() {
    }

    public static Reason classify(Throwable failure, String firstAddress, boolean tls, int probeTimeoutMillis) {
        boolean timeout = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("WRONGPASS")) {
                return Reason.WRONG_PASSWORD;
            }
            if (m.contains("NOAUTH")) {
                return Reason.NOAUTH;
            }
            if (m.contains("without any password configured")) {
                return Reason.NO_PASSWORD_EXPECTED;
            }
            if (m.contains("NOPERM")) {
                return Reason.NO_PERMISSION;
            }
            if (t instanceof SSLException) {
                // A plain server waits for a line ending that a TLS ClientHello never sends: the handshake times out.
                boolean plainServer = m.contains("not an SSL/TLS record")
                        || Boolean.TRUE.equals(probeAnswersPlainText(firstAddress, probeTimeoutMillis));
                return plainServer ? Reason.TLS_MISMATCH_SERVER_PLAIN : Reason.TLS_HANDSHAKE;
            }
            if (t instanceof ConnectException || m.contains("Connection refused")) {
                return Reason.UNREACHABLE;
            }
            timeout |= t instanceof SocketTimeoutException || m.toLowerCase(Locale.ROOT).contains("timeout")
                    || m.toLowerCase(Locale.ROOT).contains("timed out");
        }
        if (!tls && firstAddress != null && Boolean.FALSE.equals(probeAnswersPlainText(firstAddress, probeTimeoutMillis))) {
            return Reason.TLS_MISMATCH_SERVER_EXPECTS_TLS;
        }
        return timeout ? Reason.TIMEOUT : Reason.UNKNOWN;
    }

    /** True if a plain PING gets a RESP reply, false if the server stays silent or hangs up, null if unreachable. */
    static Boolean probeAnswersPlainText(String hostPort, int timeoutMillis) {
        int colon = hostPort.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1))), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            int first = in.read();
            return first == '+' || first == '-';
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return e instanceof ConnectException ? null : Boolean.FALSE;
        }
    }
}
