package io.spaghetti.sdk.signalr.internal.protocol;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One hub protocol: framing, message layout and the Jackson mapper that binds its values. */
public interface HubCodec {
    /** As the client names it in the handshake: {@code json} or {@code messagepack}. */
    String name();

    /** Binary transfer format (WebSocket binary frames; not possible over Server-Sent Events). */
    boolean binary();

    /**
     * Every complete message in {@code data}, which holds whole frames only (a WebSocket message or an
     * HTTP POST body). Each frame may be at most {@code maxMessageSize} bytes.
     */
    List<HubMessage> read(byte[] data, int maxMessageSize);

    byte[] write(HubMessage message);

    /** Binds a value read by this codec to a Java type. */
    Object bind(JsonNode value, JavaType type);

    static HubCodec named(String name) {
        return switch (name) {
            case "json" -> JsonHubCodec.INSTANCE;
            case "messagepack" -> MessagePackHubCodec.INSTANCE;
            default -> null;
        };
    }
}
