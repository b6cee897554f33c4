package io.spaghetti.sdk.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.spaghetti.sdk.architecture.fixture.ReachesIntoCoreInternals;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's promise, enforced: a module's {@code ...internal} packages are used by that module only. */
class InternalPackagesTest {
    private static final Pattern MODULE = Pattern.compile("io\\.spaghetti\\.sdk\\.(spring\\.boot|[a-z]+)(\\..*)?");

    /** {@code io.spaghetti.sdk.core.internal.config} is module {@code core}; {@code ...spring.boot...} is {@code spring.boot}. */
    static String moduleOf(String packageName) {
        Matcher m = MODULE.matcher(packageName);
        return m.matches() ? m.group(1) : packageName;
    }

    static ArchRule internalsStayInTheirModule() {
        return classes().should(new ArchCondition<JavaClass>("use no other SDK module's internal packages") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String own = moduleOf(origin.getPackageName());
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    String target = d.getTargetClass().getPackageName();
                    if (target.startsWith("io.spaghetti.sdk.") && target.contains(".internal")
                            && !moduleOf(target).equals(own)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        }).because("the README promises that anything under ...internal may change without notice");
    }

    @Test
    void noModuleUsesAnotherModulesInternals() {
        JavaClasses sdk = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.spaghetti.sdk");
        assertThat(sdk.size()).as("classes of every module imported").isGreaterThan(300);
        internalsStayInTheirModule().check(sdk);
    }

    @Test
    void theRuleCatchesAClassThatReachesIntoAnotherModulesInternals() {
        EvaluationResult result = internalsStayInTheirModule()
                .evaluate(new ClassFileImporter().importClasses(ReachesIntoCoreInternals.class));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("ReachesIntoCoreInternals")
                .contains("io.spaghetti.sdk.core.internal.config.Durations");
    }

    @Test
    void modulesAreTheirPackageRoots() {
        assertThat(moduleOf("io.spaghetti.sdk.core.internal.config")).isEqualTo("core");
        assertThat(moduleOf("io.spaghetti.sdk.spring.boot.internal")).isEqualTo("spring.boot");
        assertThat(moduleOf("io.spaghetti.sdk.crypto.testing")).isEqualTo("crypto");
    }
}
