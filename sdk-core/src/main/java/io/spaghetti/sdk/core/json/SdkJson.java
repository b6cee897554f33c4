package io.spaghetti.sdk.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson setup of every SDK module that maps application values (cache values, hub arguments):
 * java.time types supported and written as ISO-8601 strings, which every SignalR client and .NET server reads.
 */
public final class SdkJson {
    private SdkJson() {
    }

    /** A JSON mapper with the SDK's setup. */
    public static ObjectMapper mapper() {
        return configure(JsonMapper.builder().build());
    }

    /** A mapper over another data format (e.g. MessagePack) with the SDK's setup. */
    public static ObjectMapper mapper(JsonFactory format) {
        return configure(new ObjectMapper(format));
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
