package io.spaghetti.sdk.core.internal.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spaghetti.sdk.core.config.ConfigProblems;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Builds the merged configuration tree from its layers, low to high: each section's built-in
 * defaults, the YAML file, {@code SPAGHETTI_*} environment variables, {@code spaghetti.*}
 * system properties; then binds each section.
 */
public final class ConfigLoader {
    public static final String CONFIG_PATH_ENV = "SPAGHETTI_SDK_CONFIG";
    public static final String CLASSPATH_FILE = "spaghetti-sdk.yaml";
    public static final String SYSPROP_PREFIX = "spaghetti.";
    private static final Set<String> RESERVED_ENV = Set.of(CONFIG_PATH_ENV);
    /** Variables of the project's scripts and other tooling, never SDK configuration (no section is named tool). */
    public static final String TOOLING_ENV_PREFIX = "SPAGHETTI_TOOL_";

    private static final ObjectMapper YAML = SdkJson.mapper(new YAMLFactory());

    private final Collection<ConfigSection<?>> sections;
    private final Map<String, String> env;
    private final Properties sysProps;
    private final ClassLoader classLoader;
    private final ConfigProblems problems = new ConfigProblems();

    public ConfigLoader(Collection<ConfigSection<?>> sections, Map<String, String> env, Properties sysProps,
            ClassLoader classLoader) {
        this.sections = sections;
        this.env = env;
        this.sysProps = sysProps;
        this.classLoader = classLoader;
    }

    /**
     * Binds every section; throws {@code SdkConfigException} listing all problems.
     *
     * @param yaml the YAML layer's text and where it came from, or null to look it up
     */
    public Map<String, Record> load(Source yaml) {
        ObjectNode tree = YAML.createObjectNode();
        for (ConfigSection<?> s : sections) {
            tree.set(s.name(), readDefaults(s));
        }
        Source file = yaml != null ? yaml : locateFile();
        if (file != null) {
            JsonNode fileTree = parse(file);
            if (fileTree instanceof ObjectNode o) {
                checkTopLevel(o, file.name());
                TreeMerge.merge(tree, o);
            }
        }
        applyEnvironment(tree);
        applySystemProperties(tree);
        // No early exit: an unknown section or a bad variable is reported together with every binding problem.

        ConfigBinder binder = new ConfigBinder(YAML, env::get, problems);
        Map<String, Record> bound = new LinkedHashMap<>();
        for (ConfigSection<?> s : sections) {
            bound.put(s.name(), binder.bind(tree.get(s.name()), s.type(), s.name()));
        }
        problems.throwIfAny();
        return bound;
    }

    /** Only the built-in defaults of the sections, ignoring files, environment and properties. */
    public static Map<String, Record> defaults(Collection<ConfigSection<?>> sections, ClassLoader cl) {
        return new ConfigLoader(sections, Map.of(), new Properties(), cl).load(new Source("defaults", ""));
    }

    private ObjectNode readDefaults(ConfigSection<?> s) {
        try (InputStream in = s.type().getClassLoader().getResourceAsStream(s.defaultsResource())) {
            if (in == null) {
                throw new IllegalStateException("missing " + s.defaultsResource() + " for section " + s.name());
            }
            JsonNode node = YAML.readTree(in);
            return node instanceof ObjectNode o ? o : YAML.createObjectNode();
        } catch (IOException e) {
            throw new IllegalStateException("unreadable " + s.defaultsResource(), e);
        }
    }

    private Source locateFile() {
        String path = env.get(CONFIG_PATH_ENV);
        if (path != null && !path.isBlank()) {
            Path p = Path.of(path);
            if (!Files.isReadable(p)) {
                problems.add(CONFIG_PATH_ENV, path, "names a file that does not exist or cannot be read",
                        "point it at a readable YAML file, or unset it to use classpath " + CLASSPATH_FILE);
                return null;
            }
            try {
                return new Source(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                problems.add(CONFIG_PATH_ENV, path, "cannot be read: " + e.getMessage(), "check the file's permissions");
                return null;
            }
        }
        try (InputStream in = classLoader.getResourceAsStream(CLASSPATH_FILE)) {
            return in == null ? null
                    : new Source("classpath:" + CLASSPATH_FILE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read classpath " + CLASSPATH_FILE, e);
        }
    }

    private JsonNode parse(Source source) {
        if (source.text().isBlank()) {
            return YAML.createObjectNode();
        }
        try {
            JsonNode node = YAML.readTree(source.text());
            if (node != null && !node.isObject() && !node.isNull() && !node.isMissingNode()) {
                problems.add(source.name(), null, "is not a YAML mapping of sections",
                        "start the file with top-level sections such as 'service:' and 'redis:'");
                return null;
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            problems.add(source.name(), null, "is not valid YAML" + where + ": " + e.getOriginalMessage(),
                    "correct the YAML syntax");
            return null;
        }
    }

    private void checkTopLevel(ObjectNode tree, String origin) {
        List<String> names = sections.stream().map(ConfigSection::name).toList();
        for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!names.contains(key)) {
                problems.add(key, null, "is not a known section (in " + origin + ")",
                        Suggestions.didYouMean(key, names)
                                + " A module's section exists only when its jar is on the classpath.");
            }
        }
    }

    private void applyEnvironment(ObjectNode tree) {
        Map<String, String> index = EnvNames.index(sections);
        List<String> known = new ArrayList<>(index.keySet());
        env.entrySet().stream()
                .filter(e -> e.getKey().startsWith(EnvNames.PREFIX) && !RESERVED_ENV.contains(e.getKey())
                        && !e.getKey().startsWith(TOOLING_ENV_PREFIX))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    String key = index.get(e.getKey());
                    if (key == null) {
                        problems.add(e.getKey(), null, "is not a known SDK environment variable",
                                Suggestions.didYouMean(e.getKey(), known));
                    } else {
                        TreeMerge.setPath(tree, key, e.getValue());
                    }
                });
    }

    private void applySystemProperties(ObjectNode tree) {
        sysProps.stringPropertyNames().stream()
                .filter(n -> n.startsWith(SYSPROP_PREFIX))
                .sorted()
                .forEach(n -> {
                    String key = n.substring(SYSPROP_PREFIX.length());
                    String section = key.split("\\.", 2)[0];
                    if (sections.stream().noneMatch(s -> s.name().equals(section))) {
                        problems.add(n, null, "is not a known section",
                                Suggestions.didYouMean(section, sections.stream().map(ConfigSection::name).toList()));
                    } else {
                        TreeMerge.setPath(tree, key, sysProps.getProperty(n));
                    }
                });
    }

    /** A YAML layer: where it came from (for messages) and its text. */
    public record Source(String name, String text) {
    }
}
