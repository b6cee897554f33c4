package io.spaghetti.sdk.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.spaghetti.sdk.core.config.SdkConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Spring's precedence, relaxed key forms, YAML lists and placeholders, bound into the SDK's own config. */
class EnvironmentConfigTest {

    private static StandardEnvironment environment(Map<String, Object> commandLine, Map<String, Object> applicationYaml) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of()));
        env.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", commandLine));
        env.getPropertySources().addLast(new MapPropertySource("Config resource 'application.yaml'", applicationYaml));
        return env;
    }

    @Test
    void argumentsBeatEnvironmentVariablesWhichBeatApplicationYaml() {
        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("spaghetti.service.name", "from-yaml");
        yaml.put("spaghetti.service.environment", "from-yaml");
        yaml.put("spaghetti.redis.connect-timeout", "7s");
        yaml.put("spaghetti.redis.addresses[0]", "10.0.0.1:6379");
        yaml.put("spaghetti.redis.addresses[1]", "10.0.0.2:6379");
        yaml.put("spaghetti.redis.timeout", "${custom.timeout:4s}");
        SdkConfig config = EnvironmentConfig.load(
                environment(Map.of("spaghetti.service.name", "from-args"), yaml),
                Map.of("SPAGHETTI_SERVICE_NAME", "from-env", "SPAGHETTI_SERVICE_ENVIRONMENT", "from-env"),
                getClass().getClassLoader());
        assertThat(config.service().name()).isEqualTo("from-args");
        assertThat(config.service().environment()).isEqualTo("from-env");
        assertThat(config.redis().connectTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.redis().timeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.redis().addresses()).isEqualTo(List.of("10.0.0.1:6379", "10.0.0.2:6379"));
    }

    @Test
    void listsGivenAsIndexedArgumentsAndCamelCaseKeysBindToo() {
        SdkConfig config = EnvironmentConfig.load(environment(Map.of("spaghetti.redis.addresses[0]", "a:1",
                "spaghetti.redis.addresses[1]", "b:2", "spaghetti.redis.connectTimeout", "3s"), Map.of()),
                Map.of(), getClass().getClassLoader());
        assertThat(config.redis().addresses()).isEqualTo(List.of("a:1", "b:2"));
        assertThat(config.redis().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void keysAreWrittenTheWaySpringUsersWriteThem() {
        assertThat(EnvironmentConfig.camelCase("cache.defaults.l1-max-size")).isEqualTo("cache.defaults.l1MaxSize");
        assertThat(EnvironmentConfig.camelCase("redis.addresses[0]")).isEqualTo("redis.addresses[0]");
    }
}
