package org.carnet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Which libraries each module may use (docs/adr/0002). */
class ArchitectureTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.carnet");

    @Test
    void hapiServerTypesOnlyInTheFhirModule() {
        noClasses().that().resideOutsideOfPackage("org.carnet.fhir..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "ca.uhn.fhir.rest.server", "ca.uhn.fhir.rest.annotation..", "ca.uhn.fhir.rest.api.server..")
                .check(CLASSES);
    }

    @Test
    void hapiModelOnlyInModulesThatWorkOnFhirResources() {
        noClasses().that().resideOutsideOfPackages(
                        "org.carnet.fhir..", "org.carnet.record..", "org.carnet.demo..",
                        "org.carnet.synthetic..", "org.carnet.identity..", "org.carnet.access..", "org.carnet.audit..",
                        "org.carnet.document..", "org.carnet.ingestion..")
                .should().dependOnClassesThat().resideInAnyPackage("org.hl7.fhir..", "ca.uhn.fhir..")
                .check(CLASSES);
    }

    @Test
    void jdbcOnlyInModulesThatOwnTables() {
        noClasses().that().resideOutsideOfPackages(
                        "org.carnet.record..", "org.carnet.database..", "org.carnet.access..", "org.carnet.audit..",
                        "org.carnet.document..", "org.carnet.ingestion..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc..", "java.sql..")
                .check(CLASSES);
    }

    @Test
    void springMvcOnlyInWebAdapters() {
        noClasses().that().resideOutsideOfPackages("org.carnet.fhir..", "org.carnet.web..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..")
                .check(CLASSES);
    }
}
