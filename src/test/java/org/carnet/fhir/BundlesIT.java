package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class BundlesIT extends CarnetIT {

    @Test
    void transactionResolvesUrnUuidReferences() throws Exception {
        String marker = unique();

        Bundle response = post(fixture("bundle_transaction_patient_with_observations.json", marker));

        assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(response.getEntry())
                .extracting(e -> e.getResponse().getStatus())
                .containsOnly("201 Created");
        String patientId =
                response.getEntry().get(0).getResponse().getLocation().split("/")[1];
        String encounterId =
                response.getEntry().get(1).getResponse().getLocation().split("/")[1];
        String observationId =
                response.getEntry().get(2).getResponse().getLocation().split("/")[1];
        Observation observation =
                client.read().resource(Observation.class).withId(observationId).execute();
        assertThat(observation.getSubject().getReference()).isEqualTo("Patient/" + patientId);
        assertThat(observation.getEncounter().getReference()).isEqualTo("Encounter/" + encounterId);
    }

    @Test
    void transactionWithIfNoneExistDoesNotDuplicateThePatient() throws Exception {
        String marker = unique();
        Bundle first = post(fixture("bundle_transaction_patient_with_observations.json", marker));

        Bundle second = post(fixture("bundle_transaction_patient_with_observations.json", marker));

        assertThat(second.getEntry().get(0).getResponse().getStatus()).isEqualTo("200 OK");
        assertThat(second.getEntry().get(0).getResponse().getLocation())
                .isEqualTo(first.getEntry().get(0).getResponse().getLocation());
        String patientId = first.getEntry().get(0).getResponse().getLocation().split("/")[1];
        Bundle observations = client.search()
                .byUrl("Observation?patient=" + patientId)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(observations.getTotal()).isEqualTo(2);
    }

    @Test
    void resolvesConditionalReferencesAsSyntheaSendsThem() throws Exception {
        String npi = unique();
        org.hl7.fhir.r4.model.Practitioner doctor = new org.hl7.fhir.r4.model.Practitioner();
        doctor.addIdentifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue(npi);
        String doctorId = client.create().resource(doctor).execute().getId().getIdPart();
        Patient patient = created(patient("Roux", unique()));
        org.hl7.fhir.r4.model.Encounter encounter = new org.hl7.fhir.r4.model.Encounter();
        encounter
                .setStatus(org.hl7.fhir.r4.model.Encounter.EncounterStatus.FINISHED)
                .setClass_(new org.hl7.fhir.r4.model.Coding(
                        "http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null))
                .setSubject(new org.hl7.fhir.r4.model.Reference(
                        "Patient/" + patient.getIdElement().getIdPart()))
                .addParticipant()
                .setIndividual(new org.hl7.fhir.r4.model.Reference(
                        "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|" + npi));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setResource(encounter)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Encounter");

        Bundle response = client.transaction().withBundle(bundle).execute();

        String encounterId =
                response.getEntryFirstRep().getResponse().getLocation().split("/")[1];
        var stored = client.read()
                .resource(org.hl7.fhir.r4.model.Encounter.class)
                .withId(encounterId)
                .execute();
        assertThat(stored.getParticipantFirstRep().getIndividual().getReference())
                .isEqualTo("Practitioner/" + doctorId);
    }

    @Test
    void conditionalReferenceThatMatchesNothingIsRefused() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/Observation",
                "application/fhir+json",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                        + "\"subject\":{\"reference\":\"Patient?identifier=urn:carnet:test|" + unique() + "\"}}");

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(response.body()).contains("matches no resource");
    }

    @Test
    void failingTransactionLeavesNothingBehind() throws Exception {
        String marker = unique();

        HttpResponse<String> response = send(
                "POST",
                "",
                "application/fhir+json",
                fixture("bundle_transaction_with_dangling_reference.json", marker));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("OperationOutcome").contains("Patient/nobody-has-this-id");
        Bundle patients = client.search()
                .byUrl("Patient?identifier=urn:carnet:test|" + marker)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(patients.getTotal()).isZero();
    }

    @Test
    void batchReportsEachEntryOnItsOwn() throws Exception {
        String marker = unique();
        String json = fixture("bundle_transaction_with_dangling_reference.json", marker)
                .replace("\"type\": \"transaction\"", "\"type\": \"batch\"");

        Bundle response = post(json);

        assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
        assertThat(response.getEntry().get(0).getResponse().getStatus()).isEqualTo("201 Created");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("422");
        assertThat(client.search()
                        .byUrl("Patient?identifier=urn:carnet:test|" + marker)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal())
                .isEqualTo(1);
    }

    @Test
    void transactionUpdatesAndDeletesTogether() throws Exception {
        Patient kept = created(patient("Morel", unique()));
        Patient removed = created(patient("Morel", unique()));
        kept.getNameFirstRep().setFamily("Morel-Petit");
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setResource(kept)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Patient/" + kept.getIdElement().getIdPart())
                .setIfMatch("W/\"1\"");
        bundle.addEntry()
                .getRequest()
                .setMethod(Bundle.HTTPVerb.DELETE)
                .setUrl("Patient/" + removed.getIdElement().getIdPart());

        Bundle response = client.transaction().withBundle(bundle).execute();

        assertThat(response.getEntry())
                .extracting(e -> e.getResponse().getStatus())
                .containsExactly("200 OK", "204 No Content");
        assertThat(client.read()
                        .resource(Patient.class)
                        .withId(kept.getIdElement().getIdPart())
                        .execute()
                        .getNameFirstRep()
                        .getFamily())
                .isEqualTo("Morel-Petit");
    }

    @Test
    void transactionWithStaleIfMatchRollsBackEverything() throws Exception {
        Patient kept = created(patient("Morel", unique()));
        String marker = unique();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setResource(patient("Nouveau", marker))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        bundle.addEntry()
                .setResource(kept)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Patient/" + kept.getIdElement().getIdPart())
                .setIfMatch("W/\"7\"");

        HttpResponse<String> response =
                send("POST", "", "application/fhir+json", FHIR.newJsonParser().encodeResourceToString(bundle));

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(client.search()
                        .byUrl("Patient?identifier=urn:carnet:test|" + marker)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal())
                .isZero();
    }

    private Bundle post(String json) throws Exception {
        HttpResponse<String> response = send("POST", "", "application/fhir+json", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body());
    }

    static String fixture(String name, String marker) throws IOException {
        try (InputStream in = BundlesIT.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("MARKER", marker);
        }
    }
}
