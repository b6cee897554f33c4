package io.spaghetti.sdk.signalr.internal.connection;

import io.spaghetti.sdk.signalr.SignalRConfig;

/** The configured durations, in nanoseconds, as the per-second tick compares them. */
record SignalRTimers(long keepAliveNanos, long clientTimeoutNanos, long handshakeNanos, long reconnectWindowNanos) {
    static SignalRTimers of(SignalRConfig c) {
        return new SignalRTimers(c.keepAliveInterval().toNanos(), c.clientTimeout().toNanos(),
                c.handshakeTimeout().toNanos(), c.reconnectWindow().toNanos());
    }
}
