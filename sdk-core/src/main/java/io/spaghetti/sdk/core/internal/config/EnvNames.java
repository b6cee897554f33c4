package io.spaghetti.sdk.core.internal.config;

import io.spaghetti.sdk.core.config.ConfigSection;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps environment variable names to config keys, derived from the section records:
 * {@code redis.tls.truststorePassword} is {@code SPAGHETTI_REDIS_TLS_TRUSTSTORE_PASSWORD}.
 * Keys inside maps (named caches, per-dependency policies) are set in YAML or system properties.
 */
public final class EnvNames {
    public static final String PREFIX = "SPAGHETTI_";

    private EnvNames() {
    }

    /** Environment variable name to dotted key, for every leaf key of the given sections. */
    public static Map<String, String> index(Collection<ConfigSection<?>> sections) {
        Map<String, String> index = new LinkedHashMap<>();
        for (ConfigSection<?> s : sections) {
            collect(s.type(), s.name(), index);
        }
        return index;
    }

    public static String envName(String dottedKey) {
        StringBuilder sb = new StringBuilder(PREFIX);
        for (char ch : dottedKey.toCharArray()) {
            if (ch == '.') {
                sb.append('_');
            } else if (Character.isUpperCase(ch)) {
                sb.append('_').append(ch);
            } else {
                sb.append(Character.toUpperCase(ch));
            }
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    private static void collect(Class<?> record, String path, Map<String, String> index) {
        for (RecordComponent c : record.getRecordComponents()) {
            String key = path + "." + c.getName();
            if (c.getGenericType() instanceof ParameterizedType p && p.getRawType() == Map.class) {
                continue;
            }
            if (c.getType().isRecord()) {
                collect(c.getType(), key, index);
            } else {
                index.put(envName(key), key);
            }
        }
    }
}
