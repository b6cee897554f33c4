package io.spaghetti.sdk.spring.boot.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.cache.ValueCodec;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;

/**
 * JSON of the one value type a Spring cache holds, learned from the return type of its {@code @Cacheable} and
 * {@code @CachePut} methods (generics included, so {@code List<Document>} comes back as documents). No class
 * name is stored in Redis, so nothing in Redis can choose what gets instantiated.
 */
final class BoundTypeCodec implements ValueCodec<Object> {
    private static final ObjectMapper MAPPER = SdkJson.mapper().findAndRegisterModules();
    private final String cacheName;
    private volatile JavaType type;
    private volatile Type boundType;
    private volatile String boundBy;

    BoundTypeCodec(String cacheName) {
        this.cacheName = cacheName;
    }

    /** Binds the value type; a second method with another type is a programming error, reported at its first call. */
    void bind(Type valueType, java.lang.reflect.Method method) {
        if (valueType.equals(boundType)) {
            return; // every call of a @Cacheable method comes here: the common case costs one equals
        }
        JavaType t = MAPPER.constructType(valueType);
        synchronized (this) {
            if (type == null) {
                type = t;
                boundType = valueType;
                boundBy = method.getDeclaringClass().getSimpleName() + "." + method.getName();
            } else if (!type.equals(t)) {
                throw new IllegalStateException("Cache '" + cacheName + "' holds " + type.toCanonical() + " (the return type of "
                        + boundBy + ") but " + method.getDeclaringClass().getSimpleName() + "." + method.getName() + " returns "
                        + t.toCanonical()
                        + ". Fix: give each value type its own cache name.");
            }
        }
    }

    @Override
    public byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a value of cache '" + cacheName + "' as JSON", e);
        }
    }

    @Override
    public Object decode(byte[] bytes) {
        JavaType t = type;
        if (t == null) {
            throw new IllegalStateException("cache '" + cacheName + "' has no value type yet");
        }
        try {
            return MAPPER.readValue(bytes, t);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON " + t.toCanonical(), e);
        }
    }
}
