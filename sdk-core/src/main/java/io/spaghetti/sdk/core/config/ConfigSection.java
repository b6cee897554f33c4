package io.spaghetti.sdk.core.config;

import java.util.Objects;

/**
 * A named top-level section of the configuration bound to a record type. The record's defaults
 * live in the classpath resource {@code META-INF/spaghetti-sdk/defaults/<name>.yaml}.
 */
public record ConfigSection<T extends Record>(String name, Class<T> type) {
    public ConfigSection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static <T extends Record> ConfigSection<T> of(String name, Class<T> type) {
        return new ConfigSection<>(name, type);
    }

    public String defaultsResource() {
        return "META-INF/spaghetti-sdk/defaults/" + name + ".yaml";
    }
}
