package io.spaghetti.sdk.spring.boot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.ai.AiConfig;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.HealthConfig;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.config.ServiceConfig;
import io.spaghetti.sdk.core.json.SdkJson;
import io.spaghetti.sdk.core.resilience.ResilienceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code META-INF/spring-configuration-metadata.json} from the SDK's own sections and their built-in
 * defaults (run by the build, with every SDK module on the classpath), so IDEs complete every
 * {@code spaghetti.*} key, show its type and its default. Generated, never hand-kept: a new key in a module's
 * defaults appears here on the next build.
 */
public final class ConfigMetadataWriter {
    private static final ObjectMapper JSON = SdkJson.mapper();
    private static final ObjectMapper YAML = SdkJson.mapper(new YAMLFactory());

    private ConfigMetadataWriter() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), metadata(SdkConfig.defaults()));
    }

    /** Keys and types from the bound sections; defaults as each module's defaults file writes them. */
    public static ObjectNode metadata(SdkConfig defaults) {
        Map<String, JsonNode> written = new LinkedHashMap<>();
        Map<String, String> descriptions = new LinkedHashMap<>();
        List<ConfigSection<?>> sections = new ArrayList<>(List.of(ServiceConfig.SECTION, ResilienceConfig.SECTION,
                HealthConfig.SECTION, AiConfig.SECTION));
        ServiceLoader.load(SdkModule.class, ConfigMetadataWriter.class.getClassLoader()).forEach(m -> {
            if (m.configSection() != null) {
                sections.add(m.configSection());
            }
        });
        for (ConfigSection<?> s : sections) {
            try (InputStream in = s.type().getClassLoader().getResourceAsStream(s.defaultsResource())) {
                String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                written.put(s.name(), text.isBlank() ? null : YAML.readTree(text));
                descriptions.putAll(comments(text, EnvironmentConfig.PREFIX + kebab(s.name())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + s.defaultsResource(), e);
            }
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode groups = root.putArray("groups");
        ArrayNode properties = root.putArray("properties");
        defaults.sections().forEach((name, section) ->
                walk(section, written.get(name), EnvironmentConfig.PREFIX + kebab(name), groups, properties));
        for (JsonNode p : properties) {
            String said = descriptions.get(p.path("name").asText());
            if (said != null) {
                ((ObjectNode) p).put("description", p.has("description") ? said + " " + p.path("description").asText() : said);
            }
        }
        return root;
    }

    private static final Pattern KEY_LINE =
            Pattern.compile("^( *)([A-Za-z][A-Za-z0-9_]*):(?:[^#]*?)(?:\\s+#\\s*(.*))?$");

    /**
     * The defaults files' comments, as IDE descriptions: a key's trailing comment, else the comment lines right
     * above it ({@code interval: 5s  # how often every module is checked}).
     */
    static Map<String, String> comments(String yaml, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        Deque<String[]> path = new ArrayDeque<>();
        StringBuilder above = new StringBuilder();
        for (String line : yaml.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                above.append(above.length() == 0 ? "" : " ").append(trimmed.substring(1).strip());
                continue;
            }
            Matcher m = KEY_LINE.matcher(line);
            if (!m.matches()) {
                above.setLength(0);
                continue;
            }
            int indent = m.group(1).length();
            while (!path.isEmpty() && Integer.parseInt(path.peek()[0]) >= indent) {
                path.pop();
            }
            StringBuilder key = new StringBuilder(prefix);
            Iterator<String[]> outer = path.descendingIterator();
            while (outer.hasNext()) {
                key.append('.').append(kebab(outer.next()[1]));
            }
            key.append('.').append(kebab(m.group(2)));
            String said = m.group(3) != null ? m.group(3).strip() : above.toString();
            if (!said.isEmpty() && indent > 0 || m.group(3) != null) {
                out.put(key.toString(), capitalized(said));
            }
            path.push(new String[] {String.valueOf(indent), m.group(2)});
            above.setLength(0);
        }
        return out;
    }

    private static String capitalized(String s) {
        String t = s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
        return t.endsWith(".") ? t : t + ".";
    }

    private static void walk(Record record, JsonNode written, String prefix, ArrayNode groups, ArrayNode properties) {
        groups.addObject().put("name", prefix).put("type", record.getClass().getName())
                .put("sourceType", record.getClass().getName());
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + prefix + "." + c.getName(), e);
            }
            String key = prefix + "." + kebab(c.getName());
            JsonNode writtenValue = written == null ? null : written.get(c.getName());
            if (value instanceof Record nested && !(value instanceof Secret)) {
                walk(nested, writtenValue, key, groups, properties);
                continue;
            }
            ObjectNode p = properties.addObject().put("name", key).put("type", typeName(c.getGenericType()))
                    .put("sourceType", record.getClass().getName());
            if (c.getType() == Secret.class) {
                p.put("description", "A secret reference, never the value: env:VARIABLE or file:/path/to/secret.");
            } else if (Map.class.isAssignableFrom(c.getType())) {
                p.put("description", "One entry per name; each entry takes the keys of its defaults.");
            }
            if (writtenValue != null && (writtenValue.isValueNode() && !writtenValue.isNull()
                    || writtenValue.isArray() && !writtenValue.isEmpty())) {
                p.set("defaultValue", writtenValue);
            }
        }
    }

    private static String typeName(Type type) {
        if (type instanceof Class<?> c) {
            return c == Secret.class ? String.class.getName() : c.isPrimitive() ? boxed(c) : c.getName();
        }
        if (type instanceof ParameterizedType p) {
            StringBuilder sb = new StringBuilder(((Class<?>) p.getRawType()).getName()).append('<');
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < args.length; i++) {
                sb.append(i == 0 ? "" : ",").append(typeName(args[i]));
            }
            return sb.append('>').toString();
        }
        return type.getTypeName();
    }

    private static String boxed(Class<?> primitive) {
        return switch (primitive.getName()) {
            case "int" -> Integer.class.getName();
            case "long" -> Long.class.getName();
            case "double" -> Double.class.getName();
            case "boolean" -> Boolean.class.getName();
            default -> primitive.getName();
        };
    }

    /** connectTimeout to connect-timeout, the form Spring's metadata uses (either form binds). */
    static String kebab(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('-').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
