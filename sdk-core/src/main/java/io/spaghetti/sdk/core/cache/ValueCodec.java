package io.spaghetti.sdk.core.cache;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Turns cache values into the bytes stored in Redis and back. */
public interface ValueCodec<V> {

    byte[] encode(V value);

    /** @throws RuntimeException when the bytes are not a valid encoding (counted as a corrupt L2 value) */
    V decode(byte[] bytes);

    /** JSON through Jackson (the default). */
    static <V> ValueCodec<V> json(Class<V> type) {
        return new JsonCodec<>(JsonCodec.MAPPER.constructType(type));
    }

    static <V> ValueCodec<V> json(TypeReference<V> type) {
        return new JsonCodec<>(JsonCodec.MAPPER.constructType(type));
    }

    /** Raw bytes, stored as they are. */
    static ValueCodec<byte[]> bytes() {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(byte[] value) {
                return value;
            }

            @Override
            public byte[] decode(byte[] bytes) {
                return bytes;
            }
        };
    }

    /** Jackson codec; unknown properties fail decoding so a changed class shows up as a corrupt value, not a half-filled one. */
    final class JsonCodec<V> implements ValueCodec<V> {
        static final ObjectMapper MAPPER = SdkJson.mapper().findAndRegisterModules();
        private final JavaType type;

        JsonCodec(JavaType type) {
            this.type = type;
        }

        @Override
        public byte[] encode(V value) {
            try {
                return MAPPER.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode a " + type + " as JSON", e);
            }
        }

        @Override
        public V decode(byte[] bytes) {
            try {
                return MAPPER.readValue(bytes, type);
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON " + type, e);
            }
        }
    }
}
