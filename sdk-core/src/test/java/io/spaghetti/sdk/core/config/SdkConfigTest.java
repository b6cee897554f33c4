package io.spaghetti.sdk.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spaghetti.sdk.core.redis.RedisConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SdkConfigTest {

    private static SdkConfig load(String yaml, Map<String, String> env, Properties props) {
        return SdkConfig.loader().yaml("test.yaml", yaml).environment(env).systemProperties(props).load();
    }

    private static List<ConfigProblem> problems(String yaml, Map<String, String> env, Properties props) {
        try {
            load(yaml, env, props);
        } catch (SdkConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a configuration error");
    }

    @Test
    void builtInDefaultsApplyWhenNothingIsSet() {
        SdkConfig c = load("", Map.of(), new Properties());
        assertThat(c.redis().mode()).isEqualTo(RedisConfig.Mode.SINGLE);
        assertThat(c.redis().timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.service().environment()).isEqualTo("dev");
        assertThat(c.service().instance()).isNotBlank();
    }

    @Test
    void layersOverrideInOrderDefaultsFileEnvironmentSystemProperties() {
        String yaml = """
                service:
                  name: from-file
                  environment: staging
                redis:
                  timeout: 5s
                  database: 3
                """;
        Properties props = new Properties();
        props.setProperty("spaghetti.redis.database", "7");
        SdkConfig c = load(yaml, Map.of("SPAGHETTI_SERVICE_NAME", "from-env", "SPAGHETTI_REDIS_DATABASE", "5"), props);
        assertThat(c.service().name()).isEqualTo("from-env");
        assertThat(c.service().environment()).isEqualTo("staging");
        assertThat(c.redis().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.redis().database()).isEqualTo(7);
        assertThat(c.redis().retryAttempts()).isEqualTo(2);
    }

    @Test
    void environmentListsAreCommaSeparatedAndCamelCaseKeysAreUpperSnake() {
        SdkConfig c = load("", Map.of("SPAGHETTI_REDIS_ADDRESSES", "a:1, b:2", "SPAGHETTI_REDIS_MASTER_NAME", "m1",
                "SPAGHETTI_REDIS_TLS_ENABLED", "true"), new Properties());
        assertThat(c.redis().addresses()).containsExactly("a:1", "b:2");
        assertThat(c.redis().masterName()).isEqualTo("m1");
        assertThat(c.redis().tls().enabled()).isTrue();
    }

    @Test
    void fileIsReadFromThePathInSpaghettiSdkConfig(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sdk.yaml");
        Files.writeString(f, "service:\n  name: from-path\n");
        SdkConfig c = SdkConfig.loader().environment(Map.of("SPAGHETTI_SDK_CONFIG", f.toString()))
                .systemProperties(new Properties()).load();
        assertThat(c.service().name()).isEqualTo("from-path");
    }

    @Test
    void missingConfigFileIsAnErrorNamingTheVariable() {
        List<ConfigProblem> p = problems2(Map.of("SPAGHETTI_SDK_CONFIG", "/nonexistent/sdk.yaml"));
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.key()).isEqualTo("SPAGHETTI_SDK_CONFIG");
            assertThat(x.value()).isEqualTo("/nonexistent/sdk.yaml");
        });
    }

    private static List<ConfigProblem> problems2(Map<String, String> env) {
        try {
            SdkConfig.loader().environment(env).systemProperties(new Properties()).load();
        } catch (SdkConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a configuration error");
    }

    @Test
    void everyProblemIsReportedAtOnceWithKeyValueAndFix() {
        String yaml = """
                redis:
                  mode: clustr
                  timeout: 5
                  connectTimout: 2s
                  database: 99
                  addresses: ["http://x"]
                servce:
                  name: x
                resilience:
                  defaults:
                    retry:
                      maxAttempts: 0
                """;
        Properties props = new Properties();
        props.setProperty("spaghetti.redis.retryAttempts", "many");
        List<ConfigProblem> p = problems(yaml, Map.of("SPAGHETTI_REDIS_TIMEOTU", "1s"), props);
        assertThat(p).extracting(ConfigProblem::key).contains("servce", "SPAGHETTI_REDIS_TIMEOTU", "redis.mode",
                "redis.timeout", "redis.retryAttempts");
        assertThat(p).filteredOn(x -> x.key().equals("servce")).singleElement()
                .satisfies(x -> assertThat(x.fix()).contains("did you mean 'service'"));
        assertThat(p).filteredOn(x -> x.key().equals("SPAGHETTI_REDIS_TIMEOTU")).singleElement()
                .satisfies(x -> assertThat(x.fix()).contains("SPAGHETTI_REDIS_TIMEOUT"));

        List<ConfigProblem> bound = problems(yaml.replace("servce:\n  name: x\n", ""), Map.of(), props);
        assertThat(bound).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "redis.mode", "redis.timeout", "redis.connectTimout", "redis.retryAttempts",
                "resilience.defaults.retry.maxAttempts");
        assertThat(bound).filteredOn(x -> x.key().equals("redis.mode")).singleElement().satisfies(x -> {
            assertThat(x.value()).isEqualTo("clustr");
            assertThat(x.fix()).contains("single", "cluster", "sentinel");
        });
        assertThat(bound).filteredOn(x -> x.key().equals("redis.timeout")).singleElement()
                .satisfies(x -> assertThat(x.fix()).contains("3s"));
        assertThat(bound).filteredOn(x -> x.key().equals("redis.connectTimout")).singleElement()
                .satisfies(x -> assertThat(x.fix()).contains("did you mean 'connectTimeout'"));

        // Validation problems come after a clean bind.
        String valid = """
                redis:
                  database: 99
                  addresses: ["http://x"]
                resilience:
                  defaults:
                    retry:
                      maxAttempts: 0
                """;
        assertThat(problems(valid, Map.of(), new Properties())).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "redis.database", "redis.addresses[0]", "resilience.defaults.retry.maxAttempts");
    }

    @Test
    void anUnknownSectionIsReportedTogetherWithTheOtherProblems() {
        List<ConfigProblem> p = problems("serach:\n  hosts: []\nredis:\n  mode: clustr\n", Map.of(), new Properties());
        assertThat(p).extracting(ConfigProblem::key).containsExactlyInAnyOrder("serach", "redis.mode");
    }

    @Test
    void toolingVariablesUnderTheReservedPrefixAreNotConfiguration() {
        SdkConfig c = load("", Map.of("SPAGHETTI_TOOL_STACK_DIR", "/tmp/x", "SPAGHETTI_TOOL_ES_DIR", "/tmp/es",
                "SPAGHETTI_SERVICE_NAME", "svc"), new Properties());
        assertThat(c.service().name()).isEqualTo("svc");
        assertThat(problems("", Map.of("SPAGHETTI_STACK_DIR", "/tmp/x"), new Properties()))
                .extracting(ConfigProblem::key).containsExactly("SPAGHETTI_STACK_DIR");
    }

    @Test
    void exceptionMessageListsEachProblemOnItsOwnLine() {
        assertThatThrownBy(() -> load("redis:\n  database: 99\n  mode: sentinel\n", Map.of(), new Properties()))
                .isInstanceOf(SdkConfigException.class)
                .hasMessageContaining("2 problems")
                .hasMessageContaining("  - redis.database: is out of range (was '99'). Fix: use 0 to 15")
                .hasMessageContaining("  - redis.masterName: is required in sentinel mode");
    }

    @Test
    void yamlSyntaxErrorNamesTheFileAndLine() {
        List<ConfigProblem> p = problems("redis:\n  mode: [single\n", Map.of(), new Properties());
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.key()).isEqualTo("test.yaml");
            assertThat(x.problem()).contains("not valid YAML at line");
        });
    }

    @Test
    void secretsAreReferencesAndNeverShownInToStringOrProblems() {
        String yaml = "redis:\n  password: env:MY_REDIS_PW\n";
        SdkConfig c = load(yaml, Map.of("MY_REDIS_PW", "hunter2-very-secret"), new Properties());
        assertThat(c.redis().password().reveal()).isEqualTo("hunter2-very-secret");
        assertThat(c.toString()).contains("Secret[env:MY_REDIS_PW]").doesNotContain("hunter2");

        SdkConfig literal = load("redis:\n  password: value:hunter2-very-secret\n", Map.of(), new Properties());
        assertThat(literal.toString()).doesNotContain("hunter2").contains("value:***");

        List<ConfigProblem> bare = problems("redis:\n  password: hunter2-very-secret\n", Map.of(), new Properties());
        assertThat(bare).singleElement().satisfies(x -> {
            assertThat(x.key()).isEqualTo("redis.password");
            assertThat(x.toString()).doesNotContain("hunter2");
            assertThat(x.fix()).contains("env:VARIABLE");
        });

        List<ConfigProblem> unset = problems(yaml, Map.of(), new Properties());
        assertThat(unset).singleElement().satisfies(x -> {
            assertThat(x.value()).isEqualTo("<secret>");
            assertThat(x.problem()).contains("MY_REDIS_PW is not set");
        });
    }

    @Test
    void perDependencyPoliciesOnlyStateWhatDiffers() {
        SdkConfig c = load("""
                resilience:
                  dependencies:
                    elasticsearch:
                      timeout: 10s
                      retry:
                        maxAttempts: 5
                """, Map.of(), new Properties());
        var es = c.resilience().policyFor("elasticsearch");
        assertThat(es.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(es.retry().maxAttempts()).isEqualTo(5);
        assertThat(es.retry().initialBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.resilience().policyFor("redis")).isEqualTo(c.resilience().defaults());
    }

    @Test
    void codeConfigIsValidatedToo() {
        SdkConfig c = SdkConfig.defaults();
        RedisConfig bad = c.redis().toBuilder().database(42).build();
        assertThatThrownBy(() -> c.with(RedisConfig.SECTION, bad)).isInstanceOf(SdkConfigException.class)
                .hasMessageContaining("redis.database");
        assertThat(c.with(RedisConfig.SECTION, c.redis().toBuilder().database(2).build()).redis().database()).isEqualTo(2);
    }
}
