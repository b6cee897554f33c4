package io.spaghetti.sdk.backplane.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.json.SdkJson;
import com.fasterxml.jackson.databind.node.NullNode;
import io.spaghetti.sdk.backplane.BackplaneException;
import io.spaghetti.sdk.backplane.HubInvocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * The SignalR hub protocols a backplane message carries: complete frames, framing included, as a
 * SignalR server forwards them to its clients unchanged.
 */
public enum HubProtocol {
    /** UTF-8 JSON followed by the record separator 0x1E. */
    JSON("json") {
        @Override
        public byte[] invocation(Map<String, String> headers, String invocationId, String target, List<?> args) {
            return jsonFrame(g -> {
                g.writeNumberField("type", INVOCATION);
                if (!headers.isEmpty()) {
                    g.writeObjectField("headers", headers);
                }
                if (invocationId != null) {
                    g.writeStringField("invocationId", invocationId);
                }
                g.writeStringField("target", target);
                g.writeObjectField("arguments", args);
            });
        }

        @Override
        public byte[] completion(String invocationId, Object result, String error) {
            return jsonFrame(g -> {
                g.writeNumberField("type", COMPLETION);
                g.writeStringField("invocationId", invocationId);
                if (error != null) {
                    g.writeStringField("error", error);
                } else {
                    g.writeObjectField("result", result);
                }
            });
        }

        /** One JSON object (its fields written by {@code fields}) followed by the record separator. */
        private byte[] jsonFrame(JsonFields fields) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            try (JsonGenerator g = JSON_MAPPER.createGenerator(out)) {
                g.writeStartObject();
                fields.write(g);
                g.writeEndObject();
            } catch (IOException e) {
                throw unserializable(e);
            }
            out.write(RECORD_SEPARATOR);
            return out.toByteArray();
        }

        @Override
        public HubInvocation readInvocation(byte[] frame) {
            JsonNode m = readJson(frame);
            return new HubInvocation(m.path("target").asText(null), list(m.path("arguments")),
                    m.path("invocationId").asText(null), headers(m.path("headers")));
        }

        @Override
        public CompletionResult readCompletion(byte[] frame) {
            JsonNode m = readJson(frame);
            JsonNode error = m.get("error");
            return new CompletionResult(m.path("invocationId").asText(null),
                    m.has("result") ? m.get("result") : NullNode.getInstance(), error == null ? null : error.asText());
        }

        @Override
        public String header(byte[] frame, String name) {
            // headers, when present, come right after type: stop reading at the first other field
            try (JsonParser p = JSON_MAPPER.createParser(frame, 0, withoutSeparator(frame))) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals("headers")) {
                        JsonNode h = JSON_MAPPER.readTree(p);
                        JsonNode v = h.get(name);
                        return v == null ? null : v.asText();
                    }
                    if (!field.equals("type")) {
                        return null;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }

        private JsonNode readJson(byte[] frame) {
            try {
                return JSON_MAPPER.readTree(frame, 0, withoutSeparator(frame));
            } catch (IOException e) {
                throw new BackplaneException("Malformed json hub frame: " + e.getMessage(), e);
            }
        }
    },

    /** A VarInt length prefix, then the message as a MessagePack array. */
    MESSAGEPACK("messagepack") {
        @Override
        public byte[] invocation(Map<String, String> headers, String invocationId, String target, List<?> args) {
            return messagePackFrame(p -> {
                p.packArrayHeader(6);
                p.packInt(INVOCATION);
                packHeaders(p, headers);
                if (invocationId == null) {
                    p.packNil();
                } else {
                    p.packString(invocationId);
                }
                p.packString(target);
                p.packArrayHeader(args.size());
                for (Object arg : args) {
                    p.writePayload(MSGPACK_MAPPER.writeValueAsBytes(arg));
                }
                p.packArrayHeader(0);
            });
        }

        @Override
        public byte[] completion(String invocationId, Object result, String error) {
            return messagePackFrame(p -> {
                p.packArrayHeader(5);
                p.packInt(COMPLETION);
                packHeaders(p, Map.of());
                p.packString(invocationId);
                if (error != null) {
                    p.packInt(RESULT_ERROR);
                    p.packString(error);
                } else {
                    p.packInt(RESULT_VALUE);
                    p.writePayload(MSGPACK_MAPPER.writeValueAsBytes(result));
                }
            });
        }

        private byte[] messagePackFrame(WireFormat.Packing body) {
            try {
                return lengthPrefixed(WireFormat.pack(body));
            } catch (java.io.UncheckedIOException e) {
                throw unserializable(e.getCause());
            }
        }

        @Override
        public HubInvocation readInvocation(byte[] frame) {
            JsonNode m = readArray(frame, 5);
            return new HubInvocation(m.get(3).asText(), list(m.get(4)), m.get(2).isNull() ? null : m.get(2).asText(),
                    headers(m.get(1)));
        }

        @Override
        public CompletionResult readCompletion(byte[] frame) {
            JsonNode m = readArray(frame, 4);
            int kind = m.get(3).asInt();
            return new CompletionResult(m.get(2).asText(), kind == RESULT_VALUE ? m.path(4) : NullNode.getInstance(),
                    kind == RESULT_ERROR ? m.path(4).asText() : null);
        }

        @Override
        public String header(byte[] frame, String name) {
            try (MessageUnpacker u = MessagePack.newDefaultUnpacker(frame, bodyOffset(frame), frame.length - bodyOffset(frame))) {
                if (u.unpackArrayHeader() < 2) {
                    return null;
                }
                u.skipValue();
                int n = u.unpackMapHeader();
                for (int i = 0; i < n; i++) {
                    String key = u.unpackString();
                    String value = u.unpackString();
                    if (key.equals(name)) {
                        return value;
                    }
                }
                return null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        private JsonNode readArray(byte[] frame, int minimum) {
            int offset = bodyOffset(frame);
            JsonNode m;
            try {
                m = MSGPACK_MAPPER.readTree(frame, offset, frame.length - offset);
            } catch (IOException | MessagePackException e) {
                throw new BackplaneException("Malformed messagepack hub frame: " + e.getMessage(), e);
            }
            if (m == null || !m.isArray() || m.size() < minimum) {
                throw new BackplaneException("Malformed messagepack hub frame: expected an array of at least "
                        + minimum + " items");
            }
            return m;
        }
    };

    @FunctionalInterface
    private interface JsonFields {
        void write(JsonGenerator g) throws IOException;
    }

    /** What a completion frame said. {@code error} is null on success. */
    public record CompletionResult(String invocationId, JsonNode result, String error) {
    }

    public static final byte RECORD_SEPARATOR = 0x1E;
    private static final int INVOCATION = 1;
    private static final int COMPLETION = 3;
    private static final int RESULT_ERROR = 1;
    private static final int RESULT_VALUE = 3;
    static final ObjectMapper JSON_MAPPER = SdkJson.mapper();
    static final ObjectMapper MSGPACK_MAPPER = SdkJson.mapper(new MessagePackFactory());

    private final String wireName;

    HubProtocol(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the backplane's protocol map, as SignalR registers it. */
    public String wireName() {
        return wireName;
    }

    public static HubProtocol of(String wireName) {
        for (HubProtocol p : values()) {
            if (p.wireName.equals(wireName)) {
                return p;
            }
        }
        throw new BackplaneException("Unknown hub protocol '" + wireName + "': use json or messagepack");
    }

    public abstract byte[] invocation(Map<String, String> headers, String invocationId, String target, List<?> args);

    /** A completion with {@code result}, or with {@code error} when that is not null. */
    public abstract byte[] completion(String invocationId, Object result, String error);

    public abstract HubInvocation readInvocation(byte[] frame);

    public abstract CompletionResult readCompletion(byte[] frame);

    /** One header of an invocation frame, read without decoding the arguments; null when absent or unreadable. */
    public abstract String header(byte[] frame, String name);

    private static void packHeaders(MessageBufferPacker p, Map<String, String> headers) throws IOException {
        p.packMapHeader(headers.size());
        for (Map.Entry<String, String> h : headers.entrySet()) {
            p.packString(h.getKey());
            p.packString(h.getValue());
        }
    }

    /** SignalR's binary framing: the body length as a VarInt (7 bits a byte, least significant first). */
    static byte[] lengthPrefixed(byte[] body) {
        int length = body.length;
        byte[] prefix = new byte[5];
        int n = 0;
        do {
            int b = length & 0x7F;
            length >>>= 7;
            prefix[n++] = (byte) (length != 0 ? b | 0x80 : b);
        } while (length != 0);
        byte[] out = new byte[n + body.length];
        System.arraycopy(prefix, 0, out, 0, n);
        System.arraycopy(body, 0, out, n, body.length);
        return out;
    }

    /** Where the body starts after the VarInt length prefix (which must match the rest of the frame). */
    static int bodyOffset(byte[] frame) {
        int length = 0;
        int shift = 0;
        int i = 0;
        while (true) {
            if (i >= frame.length || i >= 5) {
                throw new BackplaneException("Malformed messagepack hub frame: bad length prefix");
            }
            int b = frame[i++] & 0xFF;
            length |= (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (length != frame.length - i) {
            throw new BackplaneException("Malformed messagepack hub frame: length prefix says " + length
                    + " bytes, the frame has " + (frame.length - i));
        }
        return i;
    }

    private static int withoutSeparator(byte[] frame) {
        return frame.length > 0 && frame[frame.length - 1] == RECORD_SEPARATOR ? frame.length - 1 : frame.length;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static Map<String, String> headers(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static BackplaneException unserializable(IOException e) {
        return new BackplaneException("Cannot serialize hub message arguments: " + e.getMessage()
                + " (arguments must be serializable by Jackson)", e);
    }
}
