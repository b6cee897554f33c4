package io.spaghetti.sdk.backplane;

import io.spaghetti.sdk.backplane.internal.HubProtocol;

/**
 * What a local connection receives: the complete frame in the connection's hub protocol, ready to
 * write to a SignalR client unchanged, or to decode with {@link #invocation()}.
 */
public record HubFrame(String protocol, byte[] bytes) {

    /** Decodes the frame. */
    public HubInvocation invocation() {
        return HubProtocol.of(protocol).readInvocation(bytes);
    }
}
