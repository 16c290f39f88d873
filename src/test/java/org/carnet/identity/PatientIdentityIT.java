package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** Patients with INS identifiers are checked on create and update; a broken rule is a 422 that names it. */
class PatientIdentityIT extends CarnetIT {

    private static final String TYPES = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203";

    @Test
    void acceptsAValidIns() throws Exception {
        assertThat(post(insPatient("255081416802538", "INS-NIR", "1955-08-02")).statusCode()).isEqualTo(201);
    }

    @Test
    void refusesAWrongKeyNamingTheRule() throws Exception {
        HttpResponse<String> response = post(insPatient("255081416802539", "INS-NIR", "1955-08-02"));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("OperationOutcome").contains("INS-matricule")
                .contains("39 given, 38 expected");
    }

    @Test
    void refusesAnInsWithoutItsType() throws Exception {
        HttpResponse<String> response = post(insPatient("255081416802538", null, "1955-08-02"));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("INS-type");
    }

    @Test
    void refusesTraitsThatContradictTheMatricule() throws Exception {
        HttpResponse<String> response = post(insPatient("255081416802538", "INS-NIR", "1956-08-02"));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("INS-traits").contains("birthDate");
    }

    @Test
    void acceptsTheBillingNirToldApartByItsType() throws Exception {
        assertThat(post(insPatient("255081416802538", "NH", "1960-01-01")).statusCode()).isEqualTo(201);
    }

    @Test
    void checksUpdatesToo() throws Exception {
        Patient patient = insPatient("255081416802538", "INS-NIR", "1955-08-02");
        String id = created(patient).getIdElement().getIdPart();
        patient.setId(id);
        patient.getIdentifier().get(1).setValue("255081416802537");

        HttpResponse<String> response = send("PUT", "/Patient/" + id, "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(patient));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(client.read().resource(Patient.class).withId(id).execute().getIdentifier().get(1).getValue())
                .isEqualTo("255081416802538");
    }

    private HttpResponse<String> post(Patient patient) throws Exception {
        return send("POST", "/Patient", "application/fhir+json", FHIR.newJsonParser().encodeResourceToString(patient));
    }

    private static Patient insPatient(String matricule, String type, String birthDate) {
        Patient patient = patient("Dupont", unique());
        patient.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));
        var ins = patient.addIdentifier().setSystem("urn:oid:1.2.250.1.213.1.4.10").setValue(matricule);
        if (type != null) {
            ins.getType().addCoding(new Coding(TYPES, type, null));
        }
        return patient;
    }
}
