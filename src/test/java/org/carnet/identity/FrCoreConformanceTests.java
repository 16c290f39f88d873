package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import org.carnet.synthetic.SyntheticData;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * The Patients Carnet writes validate against FR Core Patient INS (HAPI's validator over the FR Core package
 * of ../shared; unresolved external terminologies are warnings, see {@link FrCore}): the curated demo patients,
 * the synthetic generator's patients, and the identity a successful INSi retrieval produces.
 */
class FrCoreConformanceTests {

    @Test
    void curatedDemoPatientsConformToFrCorePatientIns() throws Exception {
        FrCore frCore = FrCore.loadOrSkip();
        for (String file : List.of("01-jeanne-martin", "02-laurent-girard", "03-camille-rousseau", "04-leo-garcia")) {
            try (InputStream in = getClass().getResourceAsStream("/demo/" + file + ".json")) {
                Bundle bundle = (Bundle) ca.uhn.fhir.context.FhirContext.forR4Cached()
                        .newJsonParser()
                        .parseResource(in);
                Patient patient = (Patient) bundle.getEntry().stream()
                        .map(Bundle.BundleEntryComponent::getResource)
                        .filter(r -> r instanceof Patient)
                        .findFirst()
                        .orElseThrow();
                patient.setId("demo");
                assertThat(frCore.errors(asInsProfile(patient))).as(file).isEmpty();
            }
        }
    }

    @Test
    void syntheticPatientsConformToFrCorePatientIns() {
        FrCore frCore = FrCore.loadOrSkip();
        SyntheticData synthetic = new SyntheticData(new SyntheticData.Options(
                SyntheticData.Profile.DEMO, 2026, 12, java.util.Set.of("fhir"), SyntheticData.DEFAULT_TODAY));
        List<Patient> patients = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            synthetic
                    .patientBundles(i)
                    .forEach(b -> b.getEntry().stream()
                            .map(Bundle.BundleEntryComponent::getResource)
                            .filter(r -> r instanceof Patient)
                            .forEach(r -> patients.add((Patient) r)));
        }
        assertThat(patients).hasSize(12);
        assertThat(patients).anyMatch(Patient::hasContact);
        for (Patient patient : patients) {
            assertThat(frCore.errors(asInsProfile(patient))).isEmpty();
        }
    }

    @Test
    void anIdentityRetrievedFromInsiAndValidatedConformsToFrCorePatientIns() {
        FrCore frCore = FrCore.loadOrSkip();
        Patient patient = InsPatients.provisional("Dupont", "Marie Anne", "F", "1955-08-02", null);
        FrCorePatient.setOfficialIns(patient, Ins.parse("255081416802538", Ins.Kind.NIR_TEST));
        FrCorePatient.setStrictTraits(patient, "DUPONT", List.of("MARIE", "ANNE"), "14168");
        FrCorePatient.setReliability(
                patient,
                new FrCorePatient.Reliability(null, "INSI", "2026-12-01", "PA", "2026-12-01", java.util.Set.of()));
        patient.setId("retrieved");

        assertThat(FrCorePatient.status(patient)).isEqualTo(IdentityStatus.QUAL);
        assertThat(frCore.errors(asInsProfile(patient))).isEmpty();
    }

    @Test
    void onlyAQualifiedIdentitySharesItsMatricule() {
        Patient qualified =
                InsPatients.qualified("255081416802538", "DUPONT", "Marie Anne", "F", "1955-08-02", "14168");
        Patient retrievedOnly = qualified.copy();
        FrCorePatient.setReliability(
                retrievedOnly,
                new FrCorePatient.Reliability(null, "INSI", "2026-12-01", null, null, java.util.Set.of()));

        assertThat(FrCorePatient.officialIns(FrCorePatient.forSharing(qualified)))
                .isPresent();
        assertThat(FrCorePatient.status(retrievedOnly)).isEqualTo(IdentityStatus.RECUP);
        assertThat(FrCorePatient.officialIns(FrCorePatient.forSharing(retrievedOnly)))
                .isEmpty();
    }

    private static Patient asInsProfile(Patient patient) {
        patient.getMeta().getProfile().clear();
        patient.getMeta().addProfile(FrCorePatient.PROFILE_INS);
        return patient;
    }
}
