package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.http.HttpResponse;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class InteractionsIT extends CarnetIT {

    @Test
    void createAssignsIdVersionAndLocation() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/Patient",
                "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(patient("Martin", unique())));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location").orElseThrow())
                .matches(base() + "/Patient/[0-9a-f-]{36}/_history/1");
        assertThat(response.headers().firstValue("ETag")).contains("W/\"1\"");
        Patient body = FHIR.newJsonParser().parseResource(Patient.class, response.body());
        assertThat(body.getMeta().getVersionId()).isEqualTo("1");
        assertThat(body.getMeta().getLastUpdated()).isNotNull();
    }

    @Test
    void createIgnoresClientSuppliedId() {
        Patient patient = patient("Martin", unique());
        patient.setId("chosen-by-client");

        Patient created = created(patient);

        assertThat(created.getIdElement().getIdPart()).isNotEqualTo("chosen-by-client");
    }

    @Test
    void conditionalCreateReturnsTheExistingResource() throws Exception {
        String marker = unique();
        Patient first = created(patient("Martin", marker));
        String json = FHIR.newJsonParser().encodeResourceToString(patient("Martin", marker));

        HttpResponse<String> again = send(
                "POST",
                "/Patient",
                "application/fhir+json",
                json,
                "If-None-Exist",
                "identifier=urn:carnet:test|" + marker);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Location").orElseThrow())
                .contains("/Patient/" + first.getIdElement().getIdPart() + "/_history/1");
        Bundle matches = client.search()
                .forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode("urn:carnet:test", marker))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(matches.getTotal()).isEqualTo(1);
    }

    @Test
    void concurrentConditionalCreatesMakeOneResource() throws Exception {
        String marker = unique();
        String json = FHIR.newJsonParser().encodeResourceToString(patient("Martin", marker));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            var calls = new java.util.ArrayList<java.util.concurrent.Future<HttpResponse<String>>>();
            for (int i = 0; i < 6; i++) {
                calls.add(pool.submit(() -> send(
                        "POST",
                        "/Patient",
                        "application/fhir+json",
                        json,
                        "If-None-Exist",
                        "identifier=urn:carnet:test|" + marker)));
            }
            for (var call : calls) {
                assertThat(call.get().statusCode()).isIn(200, 201);
            }
        } finally {
            pool.shutdown();
        }

        Bundle matches = client.search()
                .forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode("urn:carnet:test", marker))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(matches.getTotal()).isEqualTo(1);
    }

    @Test
    void readAndVreadReturnTheRightVersions() {
        Patient created = created(patient("Martin", unique()));
        String id = created.getIdElement().getIdPart();
        created.getNameFirstRep().setFamily("Dubois");
        client.update().resource(created).execute();

        Patient current = client.read().resource(Patient.class).withId(id).execute();
        Patient first =
                client.read().resource(Patient.class).withIdAndVersion(id, "1").execute();

        assertThat(current.getMeta().getVersionId()).isEqualTo("2");
        assertThat(current.getNameFirstRep().getFamily()).isEqualTo("Dubois");
        assertThat(first.getNameFirstRep().getFamily()).isEqualTo("Martin");
    }

    @Test
    void readOfUnknownIdIs404() {
        assertThatThrownBy(() -> client.read()
                        .resource(Patient.class)
                        .withId("does-not-exist")
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void updateWithStaleIfMatchIsRefusedWith412() throws Exception {
        Patient created = created(patient("Martin", unique()));
        String id = created.getIdElement().getIdPart();
        created.getNameFirstRep().setFamily("Dubois");
        client.update().resource(created).execute();
        String json = FHIR.newJsonParser().encodeResourceToString(created.setId(id));

        String changed = FHIR.newJsonParser()
                .encodeResourceToString(
                        created.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.OTHER));

        HttpResponse<String> stale =
                send("PUT", "/Patient/" + id, "application/fhir+json", json, "If-Match", "W/\"1\"");
        HttpResponse<String> fresh =
                send("PUT", "/Patient/" + id, "application/fhir+json", changed, "If-Match", "W/\"2\"");

        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.body()).contains("OperationOutcome").contains("version");
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(fresh.headers().firstValue("ETag")).contains("W/\"3\"");
    }

    @Test
    void identicalUpdateMakesNoNewVersion() {
        Patient created = created(patient("Martin", unique()));
        String id = created.getIdElement().getIdPart();

        MethodOutcome again = client.update().resource(created.setId(id)).execute();

        assertThat(again.getId().getVersionIdPart()).isEqualTo("1");
        assertThat(client.history()
                        .onInstance("Patient/" + id)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .hasSize(1);
    }

    @Test
    void updateOfUnknownIdCreatesIt() {
        String id = "client-" + unique();
        Patient patient = patient("Martin", unique());
        patient.setId(id);

        MethodOutcome outcome = client.update().resource(patient).execute();

        assertThat(outcome.getCreated()).isTrue();
        assertThat(client.read()
                        .resource(Patient.class)
                        .withId(id)
                        .execute()
                        .getMeta()
                        .getVersionId())
                .isEqualTo("1");
    }

    @Test
    void jsonPatchChangesOneElementAndMakesANewVersion() throws Exception {
        Patient created = created(patient("Martin", unique()));
        String id = created.getIdElement().getIdPart();

        HttpResponse<String> response = send(
                "PATCH",
                "/Patient/" + id,
                "application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"male\"}]");

        assertThat(response.statusCode()).isEqualTo(200);
        Patient patched = client.read().resource(Patient.class).withId(id).execute();
        assertThat(patched.getGender().toCode()).isEqualTo("male");
        assertThat(patched.getMeta().getVersionId()).isEqualTo("2");
        assertThat(patched.getNameFirstRep().getFamily()).isEqualTo("Martin");
    }

    @Test
    void deleteIsSoftAndHistoryKeepsTheVersions() {
        Patient created = created(patient("Martin", unique()));
        String id = created.getIdElement().getIdPart();

        client.delete().resourceById("Patient", id).execute();

        assertThatThrownBy(
                        () -> client.read().resource(Patient.class).withId(id).execute())
                .isInstanceOf(ResourceGoneException.class);
        Bundle history = client.history()
                .onInstance("Patient/" + id)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(history.getEntry()).hasSize(2);
        assertThat(history.getEntry().get(0).getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.DELETE);
        assertThat(history.getEntry().get(1).getResource().getMeta().getVersionId())
                .isEqualTo("1");
        assertThat(client.read()
                        .resource(Patient.class)
                        .withIdAndVersion(id, "1")
                        .execute())
                .isNotNull();
    }

    @Test
    void deleteOfAReferencedResourceIsAConflict() throws Exception {
        Patient patient = created(patient("Martin", unique()));
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("Poids");
        observation.setSubject(new Reference("Patient/" + patient.getIdElement().getIdPart()));
        client.create().resource(observation).execute();

        HttpResponse<String> response =
                send("DELETE", "/Patient/" + patient.getIdElement().getIdPart(), null, null);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("still referenced by Observation/");
    }

    @Test
    void typeHistoryListsNewVersions() {
        Patient created = created(patient("Martin", unique()));
        created.getNameFirstRep().setFamily("Dubois");
        client.update().resource(created).execute();

        Bundle history = client.history()
                .onType(Patient.class)
                .returnBundle(Bundle.class)
                .count(1000)
                .execute();

        assertThat(history.getEntry())
                .filteredOn(e -> e.getResource() != null)
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .contains(created.getIdElement().getIdPart());
        assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
    }

    @Test
    void servesXmlWhenAsked() throws Exception {
        Patient created = created(patient("Martin", unique()));

        HttpResponse<String> byFormat = get("/Patient/" + created.getIdElement().getIdPart() + "?_format=xml");
        HttpResponse<String> byAccept =
                get("/Patient/" + created.getIdElement().getIdPart(), "Accept", "application/fhir+xml");

        assertThat(byFormat.body()).startsWith("<Patient xmlns=\"http://hl7.org/fhir\">");
        assertThat(byAccept.headers().firstValue("Content-Type").orElseThrow()).contains("application/fhir+xml");
    }

    @Test
    void acceptsXmlBodies() throws Exception {
        String xml = FHIR.newXmlParser().encodeResourceToString(patient("Martin", unique()));

        HttpResponse<String> response = send("POST", "/Patient", "application/fhir+xml", xml);

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void preferReturnMinimalOmitsTheBody() throws Exception {
        String json = FHIR.newJsonParser().encodeResourceToString(patient("Martin", unique()));

        HttpResponse<String> minimal =
                send("POST", "/Patient", "application/fhir+json", json, "Prefer", "return=minimal");
        HttpResponse<String> outcome =
                send("POST", "/Patient", "application/fhir+json", json, "Prefer", "return=OperationOutcome");

        assertThat(minimal.statusCode()).isEqualTo(201);
        assertThat(minimal.body()).isEmpty();
        assertThat(minimal.headers().firstValue("Location")).isPresent();
        assertThat(outcome.body()).contains("\"resourceType\":\"OperationOutcome\"");
    }

    @Test
    void capabilityStatementListsTypesParametersAndEverything() throws Exception {
        HttpResponse<String> response = get("/metadata");

        assertThat(response.statusCode()).isEqualTo(200);
        org.hl7.fhir.r4.model.CapabilityStatement statement =
                FHIR.newJsonParser().parseResource(org.hl7.fhir.r4.model.CapabilityStatement.class, response.body());
        var observation = statement.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("Observation"))
                .findFirst()
                .orElseThrow();
        assertThat(observation.getSearchParam())
                .extracting(p -> p.getName())
                .contains("patient", "code", "date", "category", "status", "_id", "_lastUpdated")
                .doesNotContain("value-quantity");
        var patient = statement.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("Patient"))
                .findFirst()
                .orElseThrow();
        assertThat(patient.getOperation())
                .extracting(o -> o.getName())
                .contains(
                        "everything",
                        "documents",
                        "block",
                        "designate-traitant",
                        "trail",
                        "verify-trail",
                        "notifications",
                        "insi-retrieve",
                        "merge",
                        "duplicates");
        var document = statement.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("DocumentReference"))
                .findFirst()
                .orElseThrow();
        assertThat(document.getOperation()).extracting(o -> o.getName()).contains("mask", "unmask");
        assertThat(statement.getRestFirstRep().getOperation())
                .extracting(o -> o.getName())
                .contains("notifications");
        assertThat(statement.getRestFirstRep().getResource())
                .extracting(r -> r.getType())
                .contains("DocumentReference", "MedicationDispense", "Consent", "AuditEvent", "Provenance");
    }

    @Test
    void preconditionFailedWhenIfMatchNamesAVersionOfAMissingResource() {
        Patient patient = patient("Martin", unique());
        patient.setId("missing-" + unique());
        assertThatThrownBy(() -> client.update()
                        .resource(patient)
                        .withId(patient.getIdElement())
                        .withAdditionalHeader("If-Match", "W/\"4\"")
                        .execute())
                .isInstanceOf(PreconditionFailedException.class);
    }
}
