package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Set;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** Patients are checked against FR Core Patient INS and the RNIV on create and update; a broken rule is a 422 naming it. */
class PatientIdentityIT extends CarnetIT {

    private static final String MATRICULE = "255081416802538";

    @Test
    void acceptsAQualifiedInsPatient() throws Exception {
        HttpResponse<String> response = post(dupont());

        assertThat(response.statusCode()).isEqualTo(201);
        Patient stored = (Patient) FHIR.newJsonParser().parseResource(response.body());
        assertThat(FrCorePatient.status(stored)).isEqualTo(IdentityStatus.QUAL);
        assertThat(FrCorePatient.officialIns(stored).orElseThrow().getValue()).isEqualTo(MATRICULE);
    }

    @Test
    void refusesAWrongKeyNamingTheRule() throws Exception {
        Patient patient = dupont();
        FrCorePatient.officialIns(patient).orElseThrow().setValue("255081416802539");

        HttpResponse<String> response = post(patient);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body())
                .contains("OperationOutcome")
                .contains("INS-matricule")
                .contains("39 given, 38 expected");
    }

    @Test
    void refusesAnInsWithoutItsType() throws Exception {
        Patient patient = dupont();
        FrCorePatient.officialIns(patient).orElseThrow().getType().getCoding().clear();

        assertRefused(post(patient), "INS-type");
    }

    @Test
    void refusesTraitsThatContradictTheMatricule() throws Exception {
        Patient patient = dupont();
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1956-08-02"));

        assertRefused(post(patient), "INS-traits");
    }

    @Test
    void refusesAnInsWithoutTheStrictTraits() throws Exception {
        Patient patient = dupont();
        patient.getExtension().removeIf(e -> FrCorePatient.BIRTH_PLACE.equals(e.getUrl()));

        assertRefused(post(patient), "INS-strict-traits");
    }

    @Test
    void refusesABirthplaceThatIsNotAnInseeCode() throws Exception {
        Patient patient = InsPatients.provisional("Dupont", "Marie", "F", "1955-08-02", "ABCDE");

        assertRefused(post(patient), "INS-birthplace");
    }

    @Test
    void refusesAnOfficialNameWithSeveralGivenNames() throws Exception {
        Patient patient = dupont();
        FrCorePatient.officialName(patient).orElseThrow().addGiven("Anne");

        assertRefused(post(patient), "INS-strict-traits");
    }

    @Test
    void refusesAnInsThatDidNotComeFromInsi() throws Exception {
        Patient patient = dupont();
        FrCorePatient.setReliability(
                patient, new FrCorePatient.Reliability(null, "SM", null, "CN", "2026-11-20", Set.of()));

        assertRefused(post(patient), "INS-provenance");
    }

    @Test
    void refusesAValidatedStatusWithoutADocumentCheck() throws Exception {
        Patient patient = dupont();
        FrCorePatient.setReliability(
                patient, new FrCorePatient.Reliability(null, "INSI", "2026-11-20", null, null, Set.of()));
        patient.getExtensionByUrl(FrCorePatient.RELIABILITY)
                .getExtensionByUrl("identityStatus")
                .setValue(new Coding(FrCorePatient.STATUS_SYSTEM, "VALI", null));

        assertRefused(post(patient), "INS-status");
    }

    @Test
    void refusesADoubtfulIdentityCarryingAnIns() throws Exception {
        Patient patient = dupont();
        FrCorePatient.setReliability(
                patient,
                new FrCorePatient.Reliability(
                        null, "INSI", "2026-11-20", null, null, Set.of(FrCorePatient.Attribute.DOUT)));

        assertRefused(post(patient), "INS-doubtful");
    }

    @Test
    void refusesTwoCurrentIns() throws Exception {
        Patient patient = dupont();
        patient.addIdentifier(
                FrCorePatient.officialIns(patient).orElseThrow().copy().setValue("255081416802637"));

        assertRefused(post(patient), "INS-official-unique");
    }

    @Test
    void acceptsTheBillingNirToldApartByItsType() throws Exception {
        Patient patient = InsPatients.provisional("DUPONT", "Marie", "F", "1960-01-01", null);
        patient.addIdentifier()
                .setSystem("urn:oid:1.2.250.1.213.1.4.8")
                .setValue(MATRICULE)
                .getType()
                .addCoding(new Coding(IdentifierSystems.FR_CORE_ID_TYPE, "NH", null));

        assertThat(post(patient).statusCode()).isEqualTo(201);
    }

    @Test
    void checksUpdatesToo() throws Exception {
        Patient patient = dupont();
        String id = created(patient).getIdElement().getIdPart();
        patient.setId(id);
        FrCorePatient.officialIns(patient).orElseThrow().setValue("255081416802537");

        HttpResponse<String> response = send(
                "PUT",
                "/Patient/" + id,
                "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(patient));

        assertThat(response.statusCode()).isEqualTo(422);
        Patient stored = client.read().resource(Patient.class).withId(id).execute();
        assertThat(stored.getIdentifier())
                .filteredOn(i -> i.getUse() == Identifier.IdentifierUse.OFFICIAL)
                .extracting(Identifier::getValue)
                .containsExactly(MATRICULE);
    }

    private static Patient dupont() {
        return InsPatients.qualified(MATRICULE, "DUPONT", "Marie Anne", "F", "1955-08-02", "14168");
    }

    private HttpResponse<String> post(Patient patient) throws Exception {
        return send(
                "POST",
                "/Patient",
                "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(patient));
    }

    private static void assertRefused(HttpResponse<String> response, String rule) {
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("OperationOutcome").contains("Rule " + rule + " failed");
    }
}
