package io.spaghetti.sdk.spring.boot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.json.SdkJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Binds the SDK's configuration from Spring's {@code Environment}, keeping Spring's precedence.
 *
 * <p>{@code spaghetti.*} keys of every property source (application.yaml and its profiles, {@code --args},
 * system properties, test properties) are handed to the SDK's own binder, so the rules stay one: every problem
 * at once, did-you-mean, secrets as references. Sources that Spring ranks above the operating-system environment
 * become the SDK's highest layer, those below it the file layer; environment variables are read by the SDK
 * itself under its documented names ({@code SPAGHETTI_REDIS_CONNECT_TIMEOUT}), which Spring's relaxed names
 * would split differently. Keys may be written {@code connect-timeout} (as IDEs complete them) or
 * {@code connectTimeout}.
 */
public final class EnvironmentConfig {
    static final String PREFIX = "spaghetti.";
    private static final Pattern INDEXED = Pattern.compile("(.+)\\[(\\d+)]");
    private static final ObjectMapper JSON = SdkJson.mapper();

    private EnvironmentConfig() {
    }

    public static SdkConfig load(ConfigurableEnvironment environment, Map<String, String> processEnvironment,
            ClassLoader classLoader) {
        Map<String, Object> above = new LinkedHashMap<>();
        Map<String, Object> below = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        boolean pastEnvironment = false;
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                continue;
            }
            if (source instanceof SystemEnvironmentPropertySource) {
                pastEnvironment = true;
                continue;
            }
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (!name.startsWith(PREFIX)) {
                    continue;
                }
                String key = camelCase(name.substring(PREFIX.length()));
                if (seen.add(key)) {
                    Object value = enumerable.getProperty(name);
                    if (value instanceof String s) {
                        value = environment.resolvePlaceholders(s);
                    }
                    (pastEnvironment ? below : above).put(key, value);
                }
            }
        }
        try {
            return SdkConfig.loader()
                    .environment(processEnvironment)
                    .systemProperties(flat(above))
                    .yaml("the Spring Environment (application properties, profiles)", JSON.writeValueAsString(tree(below)))
                    .classLoader(classLoader)
                    .load();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hand the spaghetti.* properties to the SDK", e);
        }
    }

    /** {@code redis.connect-timeout} to {@code redis.connectTimeout}; dots and list indexes stay. */
    static String camelCase(String key) {
        StringBuilder out = new StringBuilder(key.length());
        boolean upper = false;
        for (char ch : key.toCharArray()) {
            if (ch == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }

    /** The highest layer as the SDK reads system properties: {@code spaghetti.<key>}, lists joined by commas. */
    private static Properties flat(Map<String, Object> entries) {
        Map<String, TreeMap<Integer, String>> lists = new LinkedHashMap<>();
        Properties props = new Properties();
        entries.forEach((key, value) -> {
            Matcher m = INDEXED.matcher(key);
            if (m.matches()) {
                lists.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), String.valueOf(value));
            } else {
                props.setProperty(PREFIX + key, String.valueOf(value));
            }
        });
        lists.forEach((key, items) -> props.setProperty(PREFIX + key, String.join(",", items.values())));
        return props;
    }

    /** The file layer as a tree: YAML's lists come back from Spring as {@code key[0]}, {@code key[1]}. */
    private static ObjectNode tree(Map<String, Object> entries) {
        ObjectNode root = JSON.createObjectNode();
        entries.forEach((key, value) -> {
            List<String> parts = new ArrayList<>(List.of(key.split("\\.")));
            JsonNode node = root;
            for (int i = 0; i < parts.size(); i++) {
                boolean last = i == parts.size() - 1;
                Matcher m = INDEXED.matcher(parts.get(i));
                String field = m.matches() ? m.group(1) : parts.get(i);
                ObjectNode parent = (ObjectNode) node;
                if (m.matches()) {
                    ArrayNode array = parent.get(field) instanceof ArrayNode a ? a : parent.putArray(field);
                    int index = Integer.parseInt(m.group(2));
                    while (array.size() <= index) {
                        array.addNull();
                    }
                    if (last) {
                        array.set(index, JSON.valueToTree(value));
                        return;
                    }
                    if (!(array.get(index) instanceof ObjectNode)) {
                        array.set(index, JSON.createObjectNode());
                    }
                    node = array.get(index);
                } else if (last) {
                    parent.set(field, JSON.valueToTree(value));
                } else {
                    node = parent.get(field) instanceof ObjectNode o ? o : parent.putObject(field);
                }
            }
        });
        return root;
    }
}
