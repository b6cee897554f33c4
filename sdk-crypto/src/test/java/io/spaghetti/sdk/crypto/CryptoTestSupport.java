package io.spaghetti.sdk.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** SDK instances with only the crypto module, and the check that logs hold no secret. */
final class CryptoTestSupport {
    private CryptoTestSupport() {
    }

    static Sdk start(String cryptoYaml) {
        return start(cryptoYaml, "");
    }

    static Sdk start(String cryptoYaml, String otherYaml) {
        SdkConfig config = SdkConfig.loader().yaml("t", "service:\n  name: crypto-test\ncrypto:\n" + cryptoYaml.indent(2)
                        + otherYaml)
                .environment(Map.of()).systemProperties(new Properties()).load();
        return Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new CryptoModule())).build();
    }

    static String localYaml(Path keystore) {
        return "provider: local\nlocal:\n  keystore: " + keystore + "\n";
    }

    static CryptoModule crypto(Sdk sdk) {
        return sdk.module(CryptoModule.class);
    }

    static double counter(Sdk sdk, String name, String... tags) {
        return sdk.meterRegistry().find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum()
                + sdk.meterRegistry().find(name).tags(tags).functionCounters().stream().mapToDouble(c -> c.count()).sum();
    }

    /**
     * The log file of this test JVM (org.slf4j.simpleLogger.logFile, set by the pom) must not hold any
     * of {@code secrets}, raw, hex or base64.
     */
    static void assertLogsHoldNone(List<byte[]> secrets) throws IOException {
        String file = System.getProperty("org.slf4j.simpleLogger.logFile");
        assertThat(file).as("tests log to a file (see the pom)").isNotNull();
        String log = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        assertThat(log).as("audit events are logged").contains("operation=");
        for (byte[] s : secrets) {
            assertThat(log).doesNotContain(new String(s, StandardCharsets.UTF_8))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(s))
                    .doesNotContain(Base64.getEncoder().withoutPadding().encodeToString(s))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(s));
        }
    }
}
