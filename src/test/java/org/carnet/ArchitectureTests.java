package org.carnet;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Which libraries each module may use (ADR 0001 as amended, ADR 0002); the modules' own graph is ModularityTests'. */
class ArchitectureTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.carnet");

    /** HAPI's server (but its exception types, the store's error vocabulary) is the FHIR adapter's alone. */
    @Test
    void hapiServerTypesOnlyInTheFhirModule() {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.carnet.fhir..")
                .should()
                .dependOnClassesThat(resideInAPackage("ca.uhn.fhir.rest.server..")
                        .and(not(resideInAPackage("ca.uhn.fhir.rest.server.exceptions..")))
                        .or(resideInAnyPackage("ca.uhn.fhir.rest.annotation..", "ca.uhn.fhir.rest.api.server..")))
                .check(CLASSES);
    }

    /** The FHIR model is the record's model (ADR 0002): every module but the database works on it. */
    @Test
    void hapiModelOnlyInModulesThatWorkOnFhirResources() {
        noClasses()
                .that()
                .resideInAPackage("org.carnet.database..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.hl7.fhir..", "ca.uhn.fhir..")
                .check(CLASSES);
    }

    @Test
    void jdbcOnlyInModulesThatOwnTables() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "org.carnet.record..",
                        "org.carnet.database..",
                        "org.carnet.access..",
                        "org.carnet.audit..",
                        "org.carnet.document..",
                        "org.carnet.ingestion..",
                        "org.carnet.search..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.jdbc..", "java.sql..")
                .check(CLASSES);
    }

    @Test
    void springMvcOnlyInWebAdapters() {
        noClasses()
                .that()
                .resideOutsideOfPackages("org.carnet.fhir..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.web..")
                .check(CLASSES);
    }

    /** A module's internal sub-packages (ingestion's formats) do not depend on each other in a circle. */
    @Test
    void subPackagesOfAModuleAreFreeOfCycles() {
        slices().matching("org.carnet.(*).(*)..")
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .check(CLASSES);
    }
}
