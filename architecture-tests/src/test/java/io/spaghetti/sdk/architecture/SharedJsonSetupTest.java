package io.spaghetti.sdk.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.spaghetti.sdk.core.json.SdkJson;
import org.junit.jupiter.api.Test;

/** One Jackson setup (SdkJson: java.time as ISO-8601) instead of ad-hoc mappers that each decide it again. */
class SharedJsonSetupTest {

    static ArchRule mappersComeFromSdkJson() {
        return classes().that().doNotHaveFullyQualifiedName(SdkJson.class.getName())
                // the Key Vault test server is a standalone artifact without sdk-core
                .and().resideOutsideOfPackage("io.spaghetti.sdk.crypto.testing..")
                .should(new ArchCondition<JavaClass>("not construct an ObjectMapper (use SdkJson.mapper())") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        for (JavaConstructorCall call : c.getConstructorCallsFromSelf()) {
                            if (call.getTargetOwner().isEquivalentTo(ObjectMapper.class)) {
                                events.add(SimpleConditionEvent.violated(call, call.getDescription()));
                            }
                        }
                    }
                });
    }

    @Test
    void everyModuleTakesItsObjectMapperFromSdkJson() {
        mappersComeFromSdkJson().check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.spaghetti.sdk"));
    }

    @Test
    void theRuleCatchesAnAdHocMapper() {
        var result = mappersComeFromSdkJson().evaluate(new ClassFileImporter().importClasses(AdHocMapper.class));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("AdHocMapper");
    }

    static final class AdHocMapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }
}
