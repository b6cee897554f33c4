package io.spaghetti.sdk.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.spaghetti.sdk.architecture.fixture.ReachesIntoCoreInternals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The API compatibility gate: each artifact's public API (ApiDump) must equal the dump checked in under
 * {@code architecture-tests/api/}, so an API change is a deliberate, reviewed diff. After a deliberate change:
 * {@code ./mvnw -pl architecture-tests test -Dapi.update=true}, then commit the changed dumps.
 */
class ApiCompatibilityTest {
    private static final Path DUMPS = Path.of("api");

    @Test
    void everyArtifactsPublicApiIsTheCheckedInOne() throws IOException {
        JavaClasses sdk = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.spaghetti.sdk");
        Map<String, Set<String>> now = ApiDump.of(sdk);
        assertThat(now.keySet()).contains("sdk-core", "sdk-search", "sdk-backplane", "sdk-signalr", "sdk-crypto",
                "sdk-crypto-testing", "sdk-flags", "sdk-tracing", "sdk-spring-boot-autoconfigure").doesNotContain("unknown");
        if (Boolean.getBoolean("api.update")) {
            Files.createDirectories(DUMPS);
            for (Map.Entry<String, Set<String>> e : now.entrySet()) {
                Files.write(DUMPS.resolve(e.getKey() + ".api"), e.getValue(), StandardCharsets.UTF_8);
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : now.entrySet()) {
            Path file = DUMPS.resolve(e.getKey() + ".api");
            Set<String> before = Files.exists(file) ? new TreeSet<>(Files.readAllLines(file, StandardCharsets.UTF_8))
                    : Set.of();
            List<String> d = ApiDump.difference(before, e.getValue());
            if (!d.isEmpty()) {
                problems.add(e.getKey() + " (" + file + "):\n  " + String.join("\n  ", d));
            }
        }
        assertThat(problems).as("The public API changed. If that is deliberate, run ./mvnw -pl architecture-tests "
                + "test -Dapi.update=true and commit architecture-tests/api/; a removed or changed line breaks "
                + "callers' compiled code").isEmpty();
    }

    @Test
    void theGateReportsAMemberRemovedFromTheApi() {
        JavaClass fixture = new ClassFileImporter().importClasses(ReachesIntoCoreInternals.class)
                .get(ReachesIntoCoreInternals.class);
        Set<String> current = new TreeSet<>(ApiDump.lines(fixture));
        Set<String> older = new TreeSet<>(current);
        older.add(ReachesIntoCoreInternals.class.getName() + " static removedLater() : void");
        assertThat(ApiDump.difference(older, current)).containsExactly(
                "- " + ReachesIntoCoreInternals.class.getName() + " static removedLater() : void");
        assertThat(ApiDump.difference(current, current)).isEmpty();
    }

    @Test
    void internalPackagesAreNotApi() {
        JavaClasses sdk = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.spaghetti.sdk.core");
        assertThat(sdk.stream().filter(ApiDump::isApi).map(JavaClass::getPackageName))
                .noneMatch(p -> p.contains(".internal"));
        assertThat(ApiDump.of(sdk).get("sdk-core")).anyMatch(l -> l.startsWith("io.spaghetti.sdk.core.Sdk final class"));
    }
}
