package io.spaghetti.sdk.core.config;

import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.ai.AiConfig;
import io.spaghetti.sdk.core.internal.config.ConfigLoader;
import io.spaghetti.sdk.core.redis.RedisConfig;
import io.spaghetti.sdk.core.resilience.ResilienceConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The SDK's whole configuration: one immutable record per section ({@code service},
 * {@code resilience}, and one per module on the classpath, such as {@code redis} or
 * {@code search}).
 *
 * <p>{@link #load()} merges, low to high: built-in defaults, the YAML file (the path in
 * {@code SPAGHETTI_SDK_CONFIG}, else classpath {@code spaghetti-sdk.yaml}), environment variables
 * ({@code SPAGHETTI_REDIS_ADDRESSES}), and system properties ({@code -Dspaghetti.redis.addresses}).
 * All problems are reported together in one {@link SdkConfigException}.
 */
public final class SdkConfig {
    private final Map<String, Record> sections;

    private SdkConfig(Map<String, Record> sections) {
        this.sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    }

    /** Loads from the process environment, system properties and the default file locations. */
    public static SdkConfig load() {
        return loader().load();
    }

    /** Built-in defaults only: a starting point for configuration written in code. */
    public static SdkConfig defaults() {
        ClassLoader cl = SdkConfig.class.getClassLoader();
        return new SdkConfig(ConfigLoader.defaults(knownSections(cl), cl));
    }

    public static Loader loader() {
        return new Loader();
    }

    public ServiceConfig service() {
        return section(ServiceConfig.SECTION);
    }

    public HealthConfig health() {
        return section(HealthConfig.SECTION);
    }

    public ResilienceConfig resilience() {
        return section(ResilienceConfig.SECTION);
    }

    public RedisConfig redis() {
        return section(RedisConfig.SECTION);
    }

    /** A module's section. */
    public <T extends Record> T section(ConfigSection<T> section) {
        Record r = sections.get(section.name());
        if (r == null) {
            throw new IllegalArgumentException("no config section '" + section.name()
                    + "': its module is not on the classpath (known: " + sections.keySet() + ")");
        }
        return section.type().cast(r);
    }

    /** Every section by name, in load order (the built-in ones, then one per module on the classpath). */
    public Map<String, Record> sections() {
        return sections;
    }

    /** A copy with one section replaced, for configuration written in code. */
    public <T extends Record> SdkConfig with(ConfigSection<T> section, T value) {
        Map<String, Record> copy = new LinkedHashMap<>(sections);
        copy.put(section.name(), Objects.requireNonNull(value));
        ConfigProblems problems = new ConfigProblems();
        if (value instanceof Validated v) {
            v.validate(problems, section.name());
        }
        problems.throwIfAny();
        return new SdkConfig(copy);
    }

    /** Secrets show as their references, never their values. */
    @Override
    public String toString() {
        return sections.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "SdkConfig{", "}"));
    }

    static List<ConfigSection<?>> knownSections(ClassLoader cl) {
        List<ConfigSection<?>> sections = new ArrayList<>(List.of(ServiceConfig.SECTION, ResilienceConfig.SECTION,
                HealthConfig.SECTION, AiConfig.SECTION, io.spaghetti.sdk.core.tracing.TracingConfig.SECTION));
        for (SdkModule m : ServiceLoader.load(SdkModule.class, cl)) {
            ConfigSection<?> s = m.configSection();
            if (s != null && sections.stream().noneMatch(k -> k.name().equals(s.name()))) {
                sections.add(s);
            }
        }
        return sections;
    }

    /** Chooses the sources of a configuration; the defaults are those of the running process. */
    public static final class Loader {
        private Map<String, String> env = System.getenv();
        private Properties systemProperties = System.getProperties();
        private ConfigLoader.Source yaml;
        private ClassLoader classLoader = SdkConfig.class.getClassLoader();
        private final List<ConfigSection<?>> extraSections = new ArrayList<>();

        private Loader() {
        }

        public Loader environment(Map<String, String> env) {
            this.env = Map.copyOf(env);
            return this;
        }

        public Loader systemProperties(Properties properties) {
            this.systemProperties = properties;
            return this;
        }

        /** Uses this YAML text instead of looking for the file. */
        public Loader yaml(String origin, String text) {
            this.yaml = new ConfigLoader.Source(origin, text);
            return this;
        }

        /** Uses this YAML file instead of looking for one. */
        public Loader yamlFile(Path file) {
            try {
                return yaml(file.toString(), java.nio.file.Files.readString(file));
            } catch (java.io.IOException e) {
                throw new SdkConfigException(List.of(new ConfigProblem(file.toString(), null,
                        "cannot be read (" + e.getClass().getSimpleName() + ")", "check the path and permissions")));
            }
        }

        public Loader classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        /** Adds the section of a module that is registered in code rather than through ServiceLoader. */
        public Loader section(ConfigSection<?> section) {
            extraSections.add(section);
            return this;
        }

        public SdkConfig load() {
            List<ConfigSection<?>> sections = knownSections(classLoader);
            extraSections.stream().filter(s -> sections.stream().noneMatch(k -> k.name().equals(s.name())))
                    .forEach(sections::add);
            return new SdkConfig(new ConfigLoader(sections, env, systemProperties, classLoader).load(yaml));
        }
    }
}
