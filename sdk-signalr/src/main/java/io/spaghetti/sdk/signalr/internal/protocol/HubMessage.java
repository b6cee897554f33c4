package io.spaghetti.sdk.signalr.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The messages of the SignalR hub protocol (HubProtocol.md). Values the server writes are any
 * Jackson-serializable object; values it reads are {@link JsonNode}s, bound later to a method's types.
 */
public sealed interface HubMessage {
    int INVOCATION = 1;
    int STREAM_ITEM = 2;
    int COMPLETION = 3;
    int STREAM_INVOCATION = 4;
    int CANCEL_INVOCATION = 5;
    int PING = 6;
    int CLOSE = 7;
    int ACK = 8;
    int SEQUENCE = 9;

    int type();

    /** Counted and replayed by stateful reconnect; pings, closes, acks and sequences are not. */
    default boolean sequenced() {
        return switch (type()) {
            case INVOCATION, STREAM_ITEM, COMPLETION, STREAM_INVOCATION, CANCEL_INVOCATION -> true;
            default -> false;
        };
    }

    /**
     * Type 1 or, with {@code stream} set, type 4. {@code invocationId} null: the sender awaits no completion.
     * {@code headers}: the message's string headers (the .NET client sends its {@code traceparent} there).
     */
    record Invocation(String invocationId, String target, List<JsonNode> arguments, List<String> streamIds,
            boolean stream, Map<String, String> headers) implements HubMessage {
        public Invocation {
            arguments = List.copyOf(arguments);
            streamIds = List.copyOf(streamIds);
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        public Invocation(String invocationId, String target, List<JsonNode> arguments, List<String> streamIds,
                boolean stream) {
            this(invocationId, target, arguments, streamIds, stream, Map.of());
        }

        /** The string headers of a message's {@code headers} field (absent, or not an object: none). */
        static Map<String, String> headers(JsonNode node) {
            if (node == null || !node.isObject() || node.isEmpty()) {
                return Map.of();
            }
            Map<String, String> headers = new java.util.HashMap<>();
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    headers.put(e.getKey(), e.getValue().asText());
                }
            });
            return headers;
        }

        @Override
        public int type() {
            return stream ? STREAM_INVOCATION : INVOCATION;
        }
    }

    /** A server invocation of a client method (client results carry an invocation id). */
    record ClientInvocation(String invocationId, String target, List<?> arguments) implements HubMessage {
        @Override
        public int type() {
            return INVOCATION;
        }
    }

    record StreamItem(String invocationId, Object item) implements HubMessage {
        @Override
        public int type() {
            return STREAM_ITEM;
        }
    }

    /** {@code error} set: failed; else {@code hasResult} tells a void completion from a null result. */
    record Completion(String invocationId, Object result, boolean hasResult, String error) implements HubMessage {
        public static Completion ofResult(String invocationId, Object result) {
            return new Completion(invocationId, result, true, null);
        }

        public static Completion empty(String invocationId) {
            return new Completion(invocationId, null, false, null);
        }

        public static Completion ofError(String invocationId, String error) {
            return new Completion(invocationId, null, false, error);
        }

        @Override
        public int type() {
            return COMPLETION;
        }
    }

    record CancelInvocation(String invocationId) implements HubMessage {
        @Override
        public int type() {
            return CANCEL_INVOCATION;
        }
    }

    record Ping() implements HubMessage {
        @Override
        public int type() {
            return PING;
        }
    }

    record Close(String error, boolean allowReconnect) implements HubMessage {
        @Override
        public int type() {
            return CLOSE;
        }
    }

    record Ack(long sequenceId) implements HubMessage {
        @Override
        public int type() {
            return ACK;
        }
    }

    record Sequence(long sequenceId) implements HubMessage {
        @Override
        public int type() {
            return SEQUENCE;
        }
    }
}
