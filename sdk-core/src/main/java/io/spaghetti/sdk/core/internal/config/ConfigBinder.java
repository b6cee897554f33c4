package io.spaghetti.sdk.core.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spaghetti.sdk.core.config.ConfigProblems;
import io.spaghetti.sdk.core.config.DefaultsFrom;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.config.Validated;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Binds a JSON tree onto config records through their canonical constructors, collecting every
 * problem (unknown key, wrong type, failed validation) instead of stopping at the first.
 */
public final class ConfigBinder {
    private static final Object INVALID = new Object();

    private final ObjectMapper mapper;
    private final Function<String, String> env;
    private final ConfigProblems problems;

    public ConfigBinder(ObjectMapper mapper, Function<String, String> env, ConfigProblems problems) {
        this.mapper = mapper;
        this.env = env;
        this.problems = problems;
    }

    /** Returns the bound record, or null when problems were found in it. */
    public <T extends Record> T bind(JsonNode node, Class<T> type, String path) {
        Object value = bindRecord(node, type, path);
        return value == INVALID ? null : type.cast(value);
    }

    private Object bindRecord(JsonNode node, Class<?> type, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            node = mapper.createObjectNode();
        }
        if (!node.isObject()) {
            problems.add(path, node.asText(), "must be a section with keys", "indent the keys below '" + path + ":'");
            return INVALID;
        }
        RecordComponent[] components = type.getRecordComponents();
        List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!names.contains(field)) {
                problems.add(join(path, field), null, "is not a known key", Suggestions.didYouMean(field, names));
            }
        }
        Object[] args = new Object[components.length];
        boolean valid = true;
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            JsonNode child = node.get(c.getName());
            DefaultsFrom defaults = c.getAnnotation(DefaultsFrom.class);
            Object v = defaults != null
                    ? bindMapOverDefaults(child, node.get(defaults.value()), c.getGenericType(), join(path, c.getName()))
                    : bindValue(child, c.getGenericType(), join(path, c.getName()));
            valid &= v != INVALID;
            args[i] = v == INVALID ? null : v;
        }
        if (!valid) {
            return INVALID;
        }
        Object record = construct(type, components, args, path);
        if (record instanceof Validated v) {
            v.validate(problems, path);
        }
        return record;
    }

    private Object bindMapOverDefaults(JsonNode node, JsonNode defaults, Type mapType, String path) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            problems.add(path, node.asText(), "must be a map of names to sections", "indent one key per name below it");
            return INVALID;
        }
        Class<?> valueType = (Class<?>) ((ParameterizedType) mapType).getActualTypeArguments()[1];
        Map<String, Object> out = new LinkedHashMap<>();
        boolean valid = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode merged = e.getValue();
            if (defaults != null && defaults.isObject() && merged.isObject()) {
                merged = TreeMerge.merge(defaults.deepCopy(), (ObjectNode) merged);
            }
            Object v = bindRecord(merged, valueType, join(path, e.getKey()));
            valid &= v != INVALID;
            out.put(e.getKey(), v);
        }
        return valid ? Map.copyOf(out) : INVALID;
    }

    private Object bindValue(JsonNode node, Type type, String path) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (raw == List.class) {
                return bindList(node, p.getActualTypeArguments()[0], path);
            }
            if (raw == Map.class) {
                return bindMap(node, p.getActualTypeArguments()[1], path);
            }
            throw new IllegalStateException("unsupported config type " + type + " at " + path);
        }
        Class<?> cls = (Class<?>) type;
        if (cls.isRecord()) {
            return bindRecord(node, cls, path);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (cls.isPrimitive()) {
                throw new IllegalStateException("no default for " + path + ": add it to the section's defaults yaml");
            }
            return null;
        }
        try {
            return scalar(node, cls, path);
        } catch (IllegalArgumentException e) {
            boolean secret = cls == Secret.class;
            problems.add(path, secret ? null : node.asText(), e.getMessage() == null ? "is not valid" : e.getMessage(),
                    fixFor(cls));
            return INVALID;
        }
    }

    private Object scalar(JsonNode node, Class<?> cls, String path) {
        if (node.isContainerNode()) {
            throw new IllegalArgumentException("must be a single value, not a list or section");
        }
        String text = node.asText();
        if (cls == String.class) {
            return text;
        }
        if (cls == Duration.class) {
            if (node.isNumber()) {
                throw new IllegalArgumentException("has no unit");
            }
            try {
                return Durations.parse(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("is not a duration");
            }
        }
        if (cls == Secret.class) {
            return Secret.parse(text, env);
        }
        if (cls == Path.class) {
            return Path.of(text);
        }
        if (cls.isEnum()) {
            for (Object constant : cls.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(text.replace('-', '_'))) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("is not one of " + enumNames(cls));
        }
        if (cls == boolean.class || cls == Boolean.class) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new IllegalArgumentException("is not true or false");
            };
        }
        try {
            if (cls == int.class || cls == Integer.class) {
                return Integer.parseInt(text.trim());
            }
            if (cls == long.class || cls == Long.class) {
                return Long.parseLong(text.trim());
            }
            if (cls == double.class || cls == Double.class) {
                return Double.parseDouble(text.trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a number");
        }
        throw new IllegalStateException("unsupported config type " + cls + " at " + path);
    }

    private Object bindList(JsonNode node, Type elementType, String path) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<JsonNode> elements = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(elements::add);
        } else if (node.isTextual()) {
            // Environment variables and system properties carry lists as comma-separated text.
            for (String part : node.asText().split(",")) {
                if (!part.isBlank()) {
                    elements.add(mapper.getNodeFactory().textNode(part.trim()));
                }
            }
        } else {
            problems.add(path, node.asText(), "must be a list", "write a YAML list or comma-separated values");
            return INVALID;
        }
        List<Object> out = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < elements.size(); i++) {
            Object v = bindValue(elements.get(i), elementType, path + "[" + i + "]");
            valid &= v != INVALID;
            out.add(v);
        }
        return valid ? List.copyOf(out) : INVALID;
    }

    private Object bindMap(JsonNode node, Type valueType, String path) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            problems.add(path, node.asText(), "must be a map", "indent one 'key: value' per line below it");
            return INVALID;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean valid = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Object v = bindValue(e.getValue(), valueType, join(path, e.getKey()));
            valid &= v != INVALID;
            out.put(e.getKey(), v);
        }
        return valid ? Map.copyOf(out) : INVALID;
    }

    private Object construct(Class<?> type, RecordComponent[] components, Object[] args, String path) {
        try {
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                problems.add(path, null, iae.getMessage(), "correct the values of " + path);
                return INVALID;
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName() + " for " + path, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName() + " for " + path, e);
        }
    }

    private static String fixFor(Class<?> cls) {
        if (cls == Duration.class) {
            return "write a number with a unit: 250ms, 3s, 5m, 2h or 30d";
        }
        if (cls == Secret.class) {
            return "write env:VARIABLE or file:/path/to/secret";
        }
        if (cls.isEnum()) {
            return "use one of " + enumNames(cls);
        }
        if (cls == boolean.class || cls == Boolean.class) {
            return "write true or false";
        }
        return "write a " + cls.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static String enumNames(Class<?> cls) {
        return Arrays.stream(cls.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList()
                .toString();
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
