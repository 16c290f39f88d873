package org.carnet.identity;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** Conformance of Patient INS to FR Core, checked on FR Core's own example and on variants of it. */
class FrCoreValidationTests {

    private static final String BIRTH_PLACE = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace";

    private final FrCore frCore = FrCore.loadOrSkip();

    @Test
    void acceptsFrCoresOwnInsPatientExample() {
        Patient example = insPatientExample();
        assertThat(example.getMeta().hasProfile("https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins"))
                .isTrue();

        assertThat(frCore.errors(example)).isEmpty();
    }

    @Test
    void refusesInsPatientWithoutBirthPlace() {
        Patient patient = insPatientExample();
        patient.getExtension().removeIf(extension -> extension.getUrl().equals(BIRTH_PLACE));

        assertThat(frCore.errors(patient))
                .singleElement(as(STRING))
                .contains("Patient.extension:birthPlace", "a matching slice is required");
    }

    @Test
    void refusesValidatedIdentityWithTwoOfficialIdentifiers() {
        Patient patient = insPatientExample();
        // The example's identity is validated (identityStatus VALI) and carries one official INS-NIR.
        Identifier nir = patient.getIdentifierFirstRep();
        patient.addIdentifier(nir.copy().setValue("255081416802538"));

        assertThat(frCore.errors(patient)).singleElement(as(STRING)).contains("fr-core-2");
    }

    private Patient insPatientExample() {
        return frCore.example(Patient.class, "Patient-FRCorePatientExample.json");
    }
}
