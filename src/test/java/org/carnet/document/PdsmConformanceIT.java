package org.carnet.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conformance with the ANS PDSm package ({@code ../shared/data/fhir-packages/ans.fhir.fr.pdsm.tgz}): its example
 * SubmissionSet, comprehensive DocumentReference and Binary, sent as an ITI-65 transaction, and its ITI-105 example,
 * are accepted, filed and retrievable. The package holds no ITI-65 <em>request</em> Bundle (only a response), so the
 * request is assembled from its example resources, wired by {@code urn:uuid} as MHD does. The resources the examples
 * point at outside themselves (their Patient, Organization, and an author PractitionerRole and Practitioner) are put in place first.
 * Skipped with a printed reason where the package is absent (a user's clone).
 */
class PdsmConformanceIT extends CarnetIT {

    static final Path PACKAGE = Path.of("../shared/data/fhir-packages/ans.fhir.fr.pdsm.tgz");

    NpmPackage pdsm;

    @BeforeEach
    void load() throws Exception {
        if (!Files.exists(PACKAGE)) {
            System.out.println(
                    "PdsmConformanceIT skipped: " + PACKAGE.toAbsolutePath().normalize() + " is absent");
        }
        assumeTrue(Files.exists(PACKAGE), "the PDSm package is absent");
        try (InputStream in = Files.newInputStream(PACKAGE)) {
            pdsm = NpmPackage.fromPackage(in);
        }
        Patient patient = new Patient();
        patient.setId("fr-patient-123");
        patient.addIdentifier().setSystem("urn:carnet:test").setValue("pdsm-" + unique());
        patient.addName().setFamily("PDSM").addGiven("EXEMPLE");
        client.update().resource(patient).execute();
        client.update()
                .resource(example("Organization-org-example.json", Organization.class))
                .execute();
        PractitionerRole role = new PractitionerRole();
        role.setId("practitionerrole-example");
        client.update().resource(role).execute();
        org.hl7.fhir.r4.model.Practitioner practitioner = new org.hl7.fhir.r4.model.Practitioner();
        practitioner.setId("practitioner-example");
        client.update().resource(practitioner).execute();
    }

    @Test
    void theExampleSubmissionSetDocumentAndBinaryAreAcceptedAsAProvideDocumentBundle() throws Exception {
        ListResource submission = example("List-ExampleSubmissionSet.json", ListResource.class);
        DocumentReference doc =
                example("DocumentReference-exemple-pdsm-documentreference.json", DocumentReference.class);
        Binary binary = example("Binary-6789.json", Binary.class);
        String docUrl = "urn:uuid:" + unique();
        String binaryUrl = "urn:uuid:" + unique();
        submission.getEntry().forEach(e -> e.setItem(new Reference(docUrl)));
        doc.getContentFirstRep().getAttachment().setUrl(binaryUrl);
        doc.getMasterIdentifier().setValue("urn:uuid:" + java.util.UUID.randomUUID());

        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.getMeta()
                .addProfile(
                        "https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-comprehensive-provide-document-bundle");
        add(bundle, "urn:uuid:" + unique(), submission);
        add(bundle, docUrl, doc);
        add(bundle, binaryUrl, binary);
        HttpResponse<String> response =
                send("POST", "", "application/fhir+json", FHIR.newJsonParser().encodeResourceToString(bundle));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle answer = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        assertThat(answer.getEntry())
                .extracting(e -> e.getResponse().getStatus())
                .containsExactly("201 Created", "201 Created", "201 Created");

        String location = answer.getEntry().get(1).getResponse().getLocation();
        DocumentReference filed = client.read()
                .resource(DocumentReference.class)
                .withId(location.substring(0, location.indexOf("/_history")))
                .execute();
        assertThat(filed.getContained()).isNotEmpty();
        assertThat(filed.getSecurityLabel()).isNotEmpty();
        assertThat(filed.getContext().getFacilityType().getCodingFirstRep().getCode())
                .isEqualTo("SA01");
        var content = HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/"
                                + filed.getContentFirstRep().getAttachment().getUrl()))
                        .header("Authorization", "Bearer " + token(SYSTEM))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(binary.getData());
        assertThat(filed.getContentFirstRep().getAttachment().getSize()).isEqualTo(binary.getData().length);
    }

    @Test
    void theSimplifiedPublishExampleIsAccepted() throws Exception {
        DocumentReference doc = example("DocumentReference-PDSmSimplifiedExample.json", DocumentReference.class);
        doc.getMasterIdentifier().setValue("urn:uuid:" + java.util.UUID.randomUUID());
        doc.setId((String) null);
        HttpResponse<String> created = send(
                "POST",
                "/DocumentReference",
                "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(doc));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        DocumentReference filed = FHIR.newJsonParser().parseResource(DocumentReference.class, created.body());
        assertThat(filed.getContentFirstRep().getAttachment().getUrl()).startsWith("Binary/");
        assertThat(filed.getContentFirstRep().getAttachment().hasData()).isFalse();
    }

    private static void add(Bundle bundle, String fullUrl, Resource resource) {
        resource.setId((String) null);
        bundle.addEntry()
                .setFullUrl(fullUrl)
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl(resource.fhirType());
    }

    private <T extends Resource> T example(String file, Class<T> type) throws Exception {
        try (InputStream in = pdsm.load("example", file)) {
            T resource =
                    FHIR.newJsonParser().parseResource(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            resource.getMeta().setVersionId(null); // an example's version is not the server's
            resource.setIdElement(resource.getIdElement().toUnqualifiedVersionless());
            return resource;
        }
    }
}
