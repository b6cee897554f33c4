package io.spaghetti.sdk.signalr.internal.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** UTF-8 JSON objects, each followed by the record separator 0x1E. */
public final class JsonHubCodec implements HubCodec {
    public static final JsonHubCodec INSTANCE = new JsonHubCodec();
    public static final byte RECORD_SEPARATOR = 0x1E;
    private static final ObjectMapper MAPPER = SdkJson.mapper();

    private JsonHubCodec() {
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public boolean binary() {
        return false;
    }

    @Override
    public List<HubMessage> read(byte[] data, int maxMessageSize) {
        List<HubMessage> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == RECORD_SEPARATOR) {
                if (i - start > maxMessageSize) {
                    throw tooLarge(i - start, maxMessageSize);
                }
                out.add(parse(data, start, i - start));
                start = i + 1;
            }
        }
        if (start < data.length) {
            throw new HubProtocolException("Incomplete JSON hub message: every message must end with the "
                    + "record separator 0x1E");
        }
        return out;
    }

    static HubProtocolException tooLarge(int size, int max) {
        return new HubProtocolException("A hub message of " + size + " bytes exceeds the server's limit of " + max
                + " bytes (signalr.maxMessageSize): send a reference to large content instead");
    }

    private HubMessage parse(byte[] data, int offset, int length) {
        JsonNode m;
        try {
            m = MAPPER.readTree(data, offset, length);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HubProtocolException("Malformed JSON hub message: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new HubProtocolException("Malformed JSON hub message: " + e.getMessage(), e);
        }
        if (m == null || !m.isObject() || !m.path("type").isInt()) {
            throw new HubProtocolException("Malformed JSON hub message: expected an object with an integer 'type'");
        }
        int type = m.get("type").asInt();
        return switch (type) {
            case HubMessage.INVOCATION, HubMessage.STREAM_INVOCATION -> new HubMessage.Invocation(
                    text(m, "invocationId", type == HubMessage.STREAM_INVOCATION), requiredText(m, "target"),
                    list(m, "arguments"), strings(m.path("streamIds")), type == HubMessage.STREAM_INVOCATION,
                    HubMessage.Invocation.headers(m.get("headers")));
            case HubMessage.STREAM_ITEM -> new HubMessage.StreamItem(requiredText(m, "invocationId"), m.path("item"));
            case HubMessage.COMPLETION -> m.hasNonNull("error")
                    ? HubMessage.Completion.ofError(requiredText(m, "invocationId"), m.get("error").asText())
                    : new HubMessage.Completion(requiredText(m, "invocationId"), m.get("result"), m.has("result"), null);
            case HubMessage.CANCEL_INVOCATION -> new HubMessage.CancelInvocation(requiredText(m, "invocationId"));
            case HubMessage.PING -> new HubMessage.Ping();
            case HubMessage.CLOSE -> new HubMessage.Close(m.path("error").asText(null), m.path("allowReconnect").asBoolean());
            case HubMessage.ACK -> new HubMessage.Ack(m.path("sequenceId").asLong());
            case HubMessage.SEQUENCE -> new HubMessage.Sequence(m.path("sequenceId").asLong());
            default -> throw new HubProtocolException("Unknown hub message type " + type);
        };
    }

    private static String requiredText(JsonNode m, String field) {
        return text(m, field, true);
    }

    private static String text(JsonNode m, String field, boolean required) {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new HubProtocolException("Malformed JSON hub message: '" + field + "' is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new HubProtocolException("Malformed JSON hub message: '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static List<JsonNode> list(JsonNode m, String field) {
        JsonNode v = m.path(field);
        if (!v.isArray()) {
            throw new HubProtocolException("Malformed JSON hub message: '" + field + "' must be an array");
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        v.forEach(out::add);
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public byte[] write(HubMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("type", message.type());
            if (message instanceof HubMessage.ClientInvocation m) {
                if (m.invocationId() != null) {
                    g.writeStringField("invocationId", m.invocationId());
                }
                g.writeStringField("target", m.target());
                g.writeObjectField("arguments", m.arguments());
            } else if (message instanceof HubMessage.StreamItem m) {
                g.writeStringField("invocationId", m.invocationId());
                g.writeObjectField("item", m.item());
            } else if (message instanceof HubMessage.Completion m) {
                g.writeStringField("invocationId", m.invocationId());
                if (m.error() != null) {
                    g.writeStringField("error", m.error());
                } else if (m.hasResult()) {
                    g.writeObjectField("result", m.result());
                }
            } else if (message instanceof HubMessage.Close m) {
                if (m.error() != null) {
                    g.writeStringField("error", m.error());
                }
                g.writeBooleanField("allowReconnect", m.allowReconnect());
            } else if (message instanceof HubMessage.Ack m) {
                g.writeNumberField("sequenceId", m.sequenceId());
            } else if (message instanceof HubMessage.Sequence m) {
                g.writeNumberField("sequenceId", m.sequenceId());
            } else if (message instanceof HubMessage.CancelInvocation m) {
                g.writeStringField("invocationId", m.invocationId());
            } else if (message instanceof HubMessage.Invocation) {
                throw new IllegalArgumentException("a server writes ClientInvocation, not Invocation");
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serialize a hub message (values must be serializable by Jackson): "
                    + e.getMessage(), e);
        }
        out.write(RECORD_SEPARATOR);
        return out.toByteArray();
    }

    @Override
    public Object bind(JsonNode value, JavaType type) {
        return MAPPER.convertValue(value, type);
    }

    /** The mapper both codecs bind with; exposed for hubs that read results as trees. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
