package io.spaghetti.sdk.signalr.internal.protocol;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** Each message a MessagePack array, prefixed by its length as a VarInt (7 bits a byte, low first). */
public final class MessagePackHubCodec implements HubCodec {
    public static final MessagePackHubCodec INSTANCE = new MessagePackHubCodec();
    private static final ObjectMapper MAPPER = SdkJson.mapper(new MessagePackFactory());
    private static final int RESULT_ERROR = 1;
    private static final int RESULT_VOID = 2;
    private static final int RESULT_VALUE = 3;

    private MessagePackHubCodec() {
    }

    @Override
    public String name() {
        return "messagepack";
    }

    @Override
    public boolean binary() {
        return true;
    }

    @Override
    public List<HubMessage> read(byte[] data, int maxMessageSize) {
        List<HubMessage> out = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            long length = 0;
            int shift = 0;
            int b;
            do {
                if (pos >= data.length || shift > 28) {
                    throw new HubProtocolException("Malformed MessagePack hub message: bad length prefix");
                }
                b = data[pos++] & 0xFF;
                length |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (length > maxMessageSize) {
                throw JsonHubCodec.tooLarge((int) Math.min(length, Integer.MAX_VALUE), maxMessageSize);
            }
            if (length > data.length - pos) {
                throw new HubProtocolException("Incomplete MessagePack hub message: the prefix says " + length
                        + " bytes, " + (data.length - pos) + " follow");
            }
            out.add(parse(data, pos, (int) length));
            pos += (int) length;
        }
        return out;
    }

    private HubMessage parse(byte[] data, int offset, int length) {
        JsonNode m;
        try {
            m = MAPPER.readTree(data, offset, length);
        } catch (IOException | RuntimeException e) {
            throw new HubProtocolException("Malformed MessagePack hub message: " + e.getMessage(), e);
        }
        if (m == null || !m.isArray() || m.isEmpty() || !m.get(0).isIntegralNumber()) {
            throw new HubProtocolException("Malformed MessagePack hub message: expected an array starting with its type");
        }
        int type = m.get(0).asInt();
        try {
            return switch (type) {
                case HubMessage.INVOCATION, HubMessage.STREAM_INVOCATION -> new HubMessage.Invocation(
                        m.get(2).isNull() ? null : m.get(2).asText(), text(m.get(3), "target"), list(m.get(4)),
                        m.size() > 5 ? strings(m.get(5)) : List.of(), type == HubMessage.STREAM_INVOCATION,
                        HubMessage.Invocation.headers(m.get(1)));
                case HubMessage.STREAM_ITEM -> new HubMessage.StreamItem(text(m.get(2), "invocationId"), m.get(3));
                case HubMessage.COMPLETION -> completion(m);
                case HubMessage.CANCEL_INVOCATION -> new HubMessage.CancelInvocation(text(m.get(2), "invocationId"));
                case HubMessage.PING -> new HubMessage.Ping();
                case HubMessage.CLOSE -> new HubMessage.Close(m.get(1).isNull() ? null : m.get(1).asText(),
                        m.size() > 2 && m.get(2).asBoolean());
                case HubMessage.ACK -> new HubMessage.Ack(m.get(1).asLong());
                case HubMessage.SEQUENCE -> new HubMessage.Sequence(m.get(1).asLong());
                default -> throw new HubProtocolException("Unknown hub message type " + type);
            };
        } catch (NullPointerException missing) {
            throw new HubProtocolException("Malformed MessagePack hub message of type " + type + ": too few items");
        }
    }

    private static HubMessage completion(JsonNode m) {
        String id = text(m.get(2), "invocationId");
        int kind = m.get(3).asInt();
        return switch (kind) {
            case RESULT_ERROR -> HubMessage.Completion.ofError(id, m.get(4).asText());
            case RESULT_VOID -> HubMessage.Completion.empty(id);
            case RESULT_VALUE -> HubMessage.Completion.ofResult(id, m.get(4));
            default -> throw new HubProtocolException("Malformed MessagePack completion: result kind " + kind);
        };
    }

    private static String text(JsonNode v, String field) {
        if (v == null || !v.isTextual()) {
            throw new HubProtocolException("Malformed MessagePack hub message: '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static List<JsonNode> list(JsonNode v) {
        if (v == null || !v.isArray()) {
            throw new HubProtocolException("Malformed MessagePack hub message: arguments must be an array");
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        v.forEach(out::add);
        return out;
    }

    private static List<String> strings(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v != null) {
            v.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    @Override
    public byte[] write(HubMessage message) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            if (message instanceof HubMessage.ClientInvocation m) {
                p.packArrayHeader(6).packInt(HubMessage.INVOCATION).packMapHeader(0);
                packNullable(p, m.invocationId());
                p.packString(m.target()).packArrayHeader(m.arguments().size());
                for (Object arg : m.arguments()) {
                    p.writePayload(MAPPER.writeValueAsBytes(arg));
                }
                p.packArrayHeader(0);
            } else if (message instanceof HubMessage.StreamItem m) {
                p.packArrayHeader(4).packInt(HubMessage.STREAM_ITEM).packMapHeader(0).packString(m.invocationId());
                p.writePayload(MAPPER.writeValueAsBytes(m.item()));
            } else if (message instanceof HubMessage.Completion m) {
                boolean withValue = m.error() != null || m.hasResult();
                p.packArrayHeader(withValue ? 5 : 4).packInt(HubMessage.COMPLETION).packMapHeader(0)
                        .packString(m.invocationId());
                if (m.error() != null) {
                    p.packInt(RESULT_ERROR).packString(m.error());
                } else if (m.hasResult()) {
                    p.packInt(RESULT_VALUE).writePayload(MAPPER.writeValueAsBytes(m.result()));
                } else {
                    p.packInt(RESULT_VOID);
                }
            } else if (message instanceof HubMessage.Close m) {
                p.packArrayHeader(3).packInt(HubMessage.CLOSE);
                packNullable(p, m.error());
                p.packBoolean(m.allowReconnect());
            } else if (message instanceof HubMessage.Ping) {
                p.packArrayHeader(1).packInt(HubMessage.PING);
            } else if (message instanceof HubMessage.Ack m) {
                p.packArrayHeader(2).packInt(HubMessage.ACK).packLong(m.sequenceId());
            } else if (message instanceof HubMessage.Sequence m) {
                p.packArrayHeader(2).packInt(HubMessage.SEQUENCE).packLong(m.sequenceId());
            } else if (message instanceof HubMessage.CancelInvocation m) {
                p.packArrayHeader(3).packInt(HubMessage.CANCEL_INVOCATION).packMapHeader(0).packString(m.invocationId());
            } else {
                throw new IllegalArgumentException("a server writes ClientInvocation, not Invocation");
            }
            return lengthPrefixed(p.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serialize a hub message (values must be serializable by Jackson): "
                    + e.getMessage(), e);
        }
    }

    private static void packNullable(MessageBufferPacker p, String value) throws IOException {
        if (value == null) {
            p.packNil();
        } else {
            p.packString(value);
        }
    }

    static byte[] lengthPrefixed(byte[] body) {
        byte[] prefix = new byte[5];
        int n = 0;
        int length = body.length;
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

    @Override
    public Object bind(JsonNode value, JavaType type) {
        try {
            return MAPPER.treeToValue(value, type);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
