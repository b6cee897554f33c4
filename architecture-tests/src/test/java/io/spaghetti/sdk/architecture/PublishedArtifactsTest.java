package io.spaghetti.sdk.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a service consuming binaries gets beside each published jar: sources, javadoc and a CycloneDX SBOM. */
class PublishedArtifactsTest {
    private static final List<String> PUBLISHED = List.of("sdk-core", "sdk-search", "sdk-backplane", "sdk-signalr",
            "sdk-crypto-testing", "sdk-crypto", "sdk-flags", "sdk-tracing", "sdk-spring-boot-autoconfigure");

    @Test
    void everyPublishedJarHasSourcesJavadocAndAnSbomBesideIt() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        for (String artifact : PUBLISHED) {
            Path target = root.resolve(artifact).resolve("target");
            assertThat(target.resolve("classes")).as("%s was built before the architecture checks", artifact)
                    .isDirectory();
            try (Stream<Path> files = Files.list(target)) {
                List<String> names = files.map(p -> p.getFileName().toString()).toList();
                assertThat(names).as(artifact).anyMatch(n -> n.startsWith(artifact + "-") && n.endsWith("-sources.jar"))
                        .anyMatch(n -> n.startsWith(artifact + "-") && n.endsWith("-javadoc.jar"))
                        .contains("bom.json");
            }
            JsonNode bom = SdkJson.mapper().readTree(target.resolve("bom.json").toFile());
            assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
            assertThat(bom.path("metadata").path("component").path("name").asText()).isEqualTo(artifact);
        }
    }
}
