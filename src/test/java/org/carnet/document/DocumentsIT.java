package org.carnet.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Documents end to end over HTTP: ITI-105 (inline content), ITI-65 (document Bundle with its Binary), ITI-68
 * (retrieve), raw upload, duplicates on unique id, replacement, immutable content, author-only withdrawal and
 * deletion, masking of the content with its document, and a 100 MB content streamed both ways with bounded heap.
 */
class DocumentsIT extends CarnetIT {

    static final String MOREAU_IDNAT = "810004372156";
    static final String LAMBERT_IDNAT = "810005820468";
    static final byte[] PDF = pdf("Compte rendu de consultation : examen normal.");

    String patient;
    String moreau;

    @BeforeEach
    void record() throws Exception {
        patient = created(patient("Documents", unique())).getIdElement().getIdPart();
        moreau = practitioner(MOREAU_IDNAT, "Moreau");
        practitioner(LAMBERT_IDNAT, "Lambert");
        accessRule(patient, "$designate-traitant", MOREAU_IDNAT);
        accessRule(patient, "$add-care-team", LAMBERT_IDNAT);
    }

    @Test
    void simplifiedPublishStoresTheContentInTheBlobStoreAndServesItBack() throws Exception {
        DocumentReference doc = document(unique(), null);
        HttpResponse<String> created =
                sendAs("dr-moreau", "POST", "/DocumentReference", "application/fhir+json", json(doc));
        assertThat(created.statusCode()).isEqualTo(201);
        DocumentReference stored = FHIR.newJsonParser().parseResource(DocumentReference.class, created.body());
        var attachment = stored.getContentFirstRep().getAttachment();
        assertThat(attachment.hasData()).as("content never kept in the JSON").isFalse();
        assertThat(attachment.getUrl()).startsWith("Binary/");
        assertThat(attachment.getSize()).isEqualTo(PDF.length);
        assertThat(attachment.getHashElement().getValueAsString())
                .isEqualTo(java.util.Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-1").digest(PDF)));
        assertThat(stored.getStatus()).isEqualTo(DocumentReferenceStatus.CURRENT);

        HttpResponse<byte[]> content = bytes("dr-moreau", "/" + attachment.getUrl());
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(content.body()).isEqualTo(PDF);
        assertThat(stored.getContent()).as("the PDF's text, kept for search").hasSize(2);
        String text = new String(
                bytes(
                                "dr-moreau",
                                "/" + stored.getContent().get(1).getAttachment().getUrl())
                        .body(),
                StandardCharsets.UTF_8);
        assertThat(text).contains("examen normal");

        DocumentReference damaged = document(unique(), null);
        damaged.getContentFirstRep().getAttachment().setData("%PDF-1.4 tronqué".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> filedAsSent =
                sendAs("dr-moreau", "POST", "/DocumentReference", "application/fhir+json", json(damaged));
        assertThat(filedAsSent.statusCode()).isEqualTo(201);
        DocumentReference unreadable = FHIR.newJsonParser().parseResource(DocumentReference.class, filedAsSent.body());
        assertThat(unreadable
                        .getMeta()
                        .getTag(DocumentIntake.DOCUMENT_FLAGS, "contenu-illisible")
                        .getDisplay())
                .startsWith("Contenu illisible comme application/pdf : damaged PDF: truncated");
        assertThat(unreadable.getContent()).hasSize(1);
    }

    @Test
    void theSameUniqueIdArrivingTwiceIsStoredOnceAndReportedAsADuplicate() throws Exception {
        String uniqueId = "1.2.250.1.999.1.2." + System.nanoTime();
        String first = sendAs(
                        "dr-moreau",
                        "POST",
                        "/DocumentReference",
                        "application/fhir+json",
                        json(document(uniqueId, null)))
                .body();
        String firstId = FHIR.newJsonParser()
                .parseResource(DocumentReference.class, first)
                .getIdElement()
                .getIdPart();

        HttpResponse<String> again = sendAs(
                "dr-moreau", "POST", "/DocumentReference", "application/fhir+json", json(document(uniqueId, null)));
        assertThat(again.statusCode()).isEqualTo(200);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, again.body());
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.DUPLICATE);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("DocumentReference/" + firstId);
        assertThat(documentsWith(uniqueId)).isEqualTo(1);
    }

    @Test
    void aDocumentBundleFilesItsBinaryAsTheDocumentsContentAndIsIdempotentOnUniqueId() throws Exception {
        String uniqueId = "1.2.250.1.999.1.3." + System.nanoTime();
        Bundle bundle = provideBundle(uniqueId);
        Bundle response = clientAs("dr-moreau").transaction().withBundle(bundle).execute();
        assertThat(response.getEntry())
                .extracting(e -> e.getResponse().getStatus())
                .containsExactly("201 Created", "201 Created", "201 Created");
        String docLocation = response.getEntry().get(1).getResponse().getLocation();
        DocumentReference doc = clientAs("dr-moreau")
                .read()
                .resource(DocumentReference.class)
                .withId(docLocation.substring(0, docLocation.indexOf("/_history")))
                .execute();
        String binary = response.getEntry().get(2).getResponse().getLocation();
        assertThat(doc.getContentFirstRep().getAttachment().getUrl())
                .isEqualTo(binary.substring(0, binary.indexOf("/_history")));
        assertThat(bytes(
                                "dr-moreau",
                                "/" + doc.getContentFirstRep().getAttachment().getUrl())
                        .body())
                .isEqualTo(PDF);

        Bundle resent = clientAs("dr-moreau")
                .transaction()
                .withBundle(provideBundle(uniqueId))
                .execute();
        assertThat(resent.getEntry().get(1).getResponse().getStatus()).isEqualTo("200 OK");
        assertThat(((OperationOutcome) resent.getEntry().get(1).getResponse().getOutcome())
                        .getIssueFirstRep()
                        .getCode())
                .isEqualTo(OperationOutcome.IssueType.DUPLICATE);
        assertThat(documentsWith(uniqueId)).isEqualTo(1);
    }

    @Test
    void aReplacementSupersedesTheDocumentItReplacesOnce() throws Exception {
        String first = createdDocument(document(unique(), null));
        DocumentReference replacement = document(unique(), null);
        replacement
                .addRelatesTo()
                .setCode(DocumentReference.DocumentRelationshipType.REPLACES)
                .setTarget(new Reference("DocumentReference/" + first));
        assertThat(sendAs("dr-moreau", "POST", "/DocumentReference", "application/fhir+json", json(replacement))
                        .statusCode())
                .isEqualTo(201);
        DocumentReference replaced = clientAs("dr-moreau")
                .read()
                .resource(DocumentReference.class)
                .withId(first)
                .execute();
        assertThat(replaced.getStatus()).isEqualTo(DocumentReferenceStatus.SUPERSEDED);

        DocumentReference second = document(unique(), null);
        second.addRelatesTo()
                .setCode(DocumentReference.DocumentRelationshipType.REPLACES)
                .setTarget(new Reference("DocumentReference/" + first));
        HttpResponse<String> again =
                sendAs("dr-moreau", "POST", "/DocumentReference", "application/fhir+json", json(second));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("superseded, not current");
    }

    @Test
    void aDocumentsContentAndUniqueIdNeverChange() throws Exception {
        String id = createdDocument(document(unique(), null));
        DocumentReference doc = clientAs("dr-moreau")
                .read()
                .resource(DocumentReference.class)
                .withId(id)
                .execute();
        doc.getContentFirstRep().getAttachment().setUrl("Binary/another");
        HttpResponse<String> changed =
                sendAs("dr-moreau", "PUT", "/DocumentReference/" + id, "application/fhir+json", json(doc));
        assertThat(changed.statusCode()).isEqualTo(422);
        assertThat(changed.body()).contains("content never changes");

        DocumentReference resent = clientAs("dr-moreau")
                .read()
                .resource(DocumentReference.class)
                .withId(id)
                .execute();
        resent.getContentFirstRep()
                .setAttachment(new org.hl7.fhir.r4.model.Attachment()
                        .setContentType("application/pdf")
                        .setData(PDF));
        resent.getContent().remove(1);
        HttpResponse<String> again =
                sendAs("dr-moreau", "PUT", "/DocumentReference/" + id, "application/fhir+json", json(resent));
        assertThat(again.statusCode())
                .as("the same bytes sent again: " + again.body())
                .isEqualTo(200);
        DocumentReference updated = FHIR.newJsonParser().parseResource(DocumentReference.class, again.body());
        assertThat(updated.getContent())
                .extracting(c -> c.getAttachment().getUrl())
                .containsExactlyElementsOf(
                        clientAs("dr-moreau")
                                .read()
                                .resource(DocumentReference.class)
                                .withId(id)
                                .execute()
                                .getContent()
                                .stream()
                                .map(c -> c.getAttachment().getUrl())
                                .toList())
                .hasSize(2);
        resent.setDescription("Compte rendu (titre corrigé)");
        HttpResponse<String> retitled =
                sendAs("dr-moreau", "PUT", "/DocumentReference/" + id, "application/fhir+json", json(resent));
        assertThat(retitled.statusCode()).isEqualTo(403);
        assertThat(retitled.body()).contains("its other metadata is its producer's");
        resent.setDescription(updated.getDescription());

        resent.getContentFirstRep().getAttachment().setData(pdf("Un autre compte rendu"));
        assertThat(sendAs("dr-moreau", "PUT", "/DocumentReference/" + id, "application/fhir+json", json(resent))
                        .body())
                .contains("content never changes");
        DocumentReference renamed = clientAs("dr-moreau")
                .read()
                .resource(DocumentReference.class)
                .withId(id)
                .execute();
        renamed.getMasterIdentifier().setValue("urn:oid:1.2.3.4");
        assertThat(sendAs("dr-moreau", "PUT", "/DocumentReference/" + id, "application/fhir+json", json(renamed))
                        .body())
                .contains("unique id (masterIdentifier) never changes");
    }

    @Test
    void onlyTheAuthorWithdrawsOrDeletesADocument() throws Exception {
        String id = createdDocument(document(unique(), null));
        String patch = "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"entered-in-error\"}]";
        HttpResponse<String> byLambert =
                sendAs("dr-lambert", "PATCH", "/DocumentReference/" + id, "application/json-patch+json", patch);
        assertThat(byLambert.statusCode()).isEqualTo(403);
        assertThat(byLambert.body()).contains("Only the document's author may withdraw it");
        HttpResponse<String> deleteByLambert = sendAs("dr-lambert", "DELETE", "/DocumentReference/" + id, null, null);
        assertThat(deleteByLambert.statusCode()).isEqualTo(403);
        assertThat(deleteByLambert.body()).contains("Only the document's author may delete it");

        assertThat(sendAs("dr-moreau", "PATCH", "/DocumentReference/" + id, "application/json-patch+json", patch)
                        .statusCode())
                .isEqualTo(200);
        assertThat(sendAs("dr-moreau", "DELETE", "/DocumentReference/" + id, null, null)
                        .statusCode())
                .isIn(200, 204);
        assertThat(getAs("dr-moreau", "/DocumentReference/" + id).statusCode()).isEqualTo(410);
    }

    @Test
    void aMaskedDocumentsContentIsHiddenWithItExceptFromItsAuthor() throws Exception {
        DocumentReference masked = document(unique(), null);
        // The PDSm way: the visibility code in securityLabel (the intake mirrors it where access reads it).
        masked.addSecurityLabel(new CodeableConcept(new Coding(DocumentIntake.VISIBILITY_SYSTEM, "MASQUE_PS", null)));
        String id = createdDocument(masked);
        assertThat(getAs("dr-lambert", "/DocumentReference/" + id).statusCode()).isEqualTo(404);
        String patch = "[{\"op\":\"remove\",\"path\":\"/securityLabel/0\"}]";
        HttpResponse<String> unmaskByPatch =
                sendAs("dr-moreau", "PATCH", "/DocumentReference/" + id, "application/json-patch+json", patch);
        assertThat(unmaskByPatch.statusCode()).isEqualTo(403);
        assertThat(unmaskByPatch.body()).contains("only through $mask and $unmask");
        String url = clientAs("dr-moreau")
                .read()
                .resource(DocumentReference.class)
                .withId(id)
                .execute()
                .getContentFirstRep()
                .getAttachment()
                .getUrl();
        assertThat(getAs("dr-moreau", "/" + url).statusCode()).isEqualTo(200);
        HttpResponse<String> lambert = getAs("dr-lambert", "/" + url);
        HttpResponse<String> unknown = getAs("dr-lambert", "/Binary/" + unique());
        assertThat(lambert.statusCode()).isEqualTo(404);
        assertThat(lambert.body().replace(url.substring(7), "X"))
                .isEqualTo(unknown.body().replaceAll("Binary/[0-9a-f-]{36}", "Binary/X"));
        assertThat(getAs("urgentiste", "/" + url).statusCode()).isEqualTo(404);
    }

    @Test
    void aRawUploadIsClaimedByTheDocumentThatNamesIt() throws Exception {
        HttpResponse<String> uploaded = sendBytes(
                "dr-moreau", "POST", "/Binary", "application/pdf", PDF, "X-Security-Context", "Patient/" + patient);
        assertThat(uploaded.statusCode()).isEqualTo(201);
        String binary = FHIR.newJsonParser()
                .parseResource(Binary.class, uploaded.body())
                .getIdElement()
                .getIdPart();
        assertThat(getAs("dr-moreau", "/Binary/" + binary).statusCode())
                .as("unclaimed: nobody reads it")
                .isEqualTo(404);

        DocumentReference doc = document(unique(), null);
        doc.getContentFirstRep().getAttachment().setData(null).setUrl("Binary/" + binary);
        String id = createdDocument(doc);
        DocumentReference stored = clientAs("dr-moreau")
                .read()
                .resource(DocumentReference.class)
                .withId(id)
                .execute();
        assertThat(stored.getContentFirstRep().getAttachment().getSize()).isEqualTo(PDF.length);
        assertThat(bytes("dr-moreau", "/Binary/" + binary).body()).isEqualTo(PDF);

        DocumentReference another = document(unique(), null);
        another.getContentFirstRep().getAttachment().setData(null).setUrl("Binary/" + binary);
        HttpResponse<String> twice =
                sendAs("dr-moreau", "POST", "/DocumentReference", "application/fhir+json", json(another));
        assertThat(twice.statusCode()).isEqualTo(422);
        assertThat(twice.body()).contains("is not an upload waiting for a document of this record");
    }

    @Test
    void badContentRequestsGetPreciseErrors() throws Exception {
        assertThat(sendBytes("dr-moreau", "POST", "/Binary", "application/pdf", PDF)
                        .body())
                .contains("X-Security-Context: Patient/<id>");
        assertThat(sendAs(
                                "dr-moreau",
                                "POST",
                                "/Binary",
                                "application/fhir+json",
                                "{}",
                                "X-Security-Context",
                                "Patient/" + patient)
                        .statusCode())
                .isEqualTo(415);
        assertThat(sendBytes("dr-moreau", "PUT", "/Binary/x", "application/pdf", PDF)
                        .statusCode())
                .isEqualTo(405);
        HttpResponse<String> form = sendAs(
                "dr-moreau",
                "POST",
                "/Binary",
                "application/x-www-form-urlencoded",
                "a=b",
                "X-Security-Context",
                "Patient/" + patient);
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(form.body()).contains("OperationOutcome").contains("raw bytes");
        assertThat(getAs("dr-moreau", "/Binary/" + "x".repeat(80)).statusCode()).isEqualTo(404);
        assertThat(getAs("dr-moreau", "/Binary/" + unique()).statusCode()).isEqualTo(404);
        assertThat(sendBytes(
                                "dr-moreau",
                                "POST",
                                "/Binary",
                                "application/pdf",
                                PDF,
                                "X-Security-Context",
                                "Patient/" + unique())
                        .statusCode())
                .isEqualTo(404);
        DocumentReference noContent = document(unique(), null);
        noContent.setContent(List.of());
        assertThat(sendAs("dr-moreau", "POST", "/DocumentReference", "application/fhir+json", json(noContent))
                        .body())
                .contains("A document needs its content");
        DocumentReference noType = document(unique(), null);
        noType.getContentFirstRep().getAttachment().setContentType(null);
        assertThat(sendAs("dr-moreau", "POST", "/DocumentReference", "application/fhir+json", json(noType))
                        .body())
                .contains("contentType is required");
        Bundle stray = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        stray.addEntry()
                .setFullUrl("urn:uuid:" + unique())
                .setResource(new Binary().setContentType("text/plain").setData("x".getBytes()))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Binary");
        HttpResponse<String> alone = sendAs(
                "dr-moreau",
                "POST",
                "",
                "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(stray));
        assertThat(alone.statusCode()).isEqualTo(422);
        assertThat(alone.body()).contains("is not the content of any DocumentReference");
    }

    @Test
    void findDocumentsTakesTheDmpSearchParametersAndThePatientByIdentifier() throws Exception {
        String marker = clientRead(patient).getIdentifierFirstRep().getValue();
        DocumentReference doc = document(unique(), null);
        doc.addCategory(new CodeableConcept(new Coding(
                "https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument", "10", null)));
        doc.getContentFirstRep()
                .setFormat(new Coding(
                        "https://mos.esante.gouv.fr/NOS/TRE_A11-IheFormatCode/FHIR/TRE-A11-IheFormatCode",
                        "urn:ihe:iti:xds-sd:pdf:2008",
                        null));
        doc.getContext()
                .setFacilityType(new CodeableConcept(new Coding(
                        "https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite",
                        "SA01",
                        null)));
        doc.getContext()
                .setPracticeSetting(new CodeableConcept(new Coding(
                        "https://mos.esante.gouv.fr/NOS/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice",
                        "ETABLISSEMENT",
                        null)));
        doc.getContext().getPeriod().setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2026-03-01"));
        doc.addSecurityLabel(
                new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "N", null)));
        String id = createdDocument(doc);
        String byIdentifier = "/DocumentReference?patient.identifier=" + enc("urn:carnet:test|" + marker);
        for (String criteria : List.of(
                "",
                "&status=current",
                "&type=http://loinc.org%7C11488-4",
                "&category=10",
                "&format=urn:ihe:iti:xds-sd:pdf:2008",
                "&facility=SA01",
                "&setting=ETABLISSEMENT",
                "&period=ge2026-02-01",
                "&security-label=N",
                "&date=ge2020-01-01")) {
            assertThat(ids(getAs("dr-moreau", byIdentifier + criteria).body()))
                    .as(criteria)
                    .contains(id);
        }
        assertThat(ids(getAs("dr-moreau", byIdentifier + "&status=superseded").body()))
                .doesNotContain(id);
        for (String pdsm :
                List.of("&period-start=ge2026-02-01", "&period-start=lt2026-03-02", "&isArchived:missing=true")) {
            assertThat(ids(getAs("dr-moreau", byIdentifier + pdsm).body()))
                    .as(pdsm)
                    .contains(id);
        }
        String archive =
                "[{\"op\":\"add\",\"path\":\"/extension\",\"value\":[{\"url\":\"https://interop.esante.gouv.fr/ig/"
                        + "fhir/pdsm/StructureDefinition/pdsm-ext-is-archived\",\"valueBoolean\":true}]}]";
        assertThat(sendAs("dr-moreau", "PATCH", "/DocumentReference/" + id, "application/json-patch+json", archive)
                        .statusCode())
                .isEqualTo(200);
        assertThat(ids(getAs("dr-moreau", byIdentifier + "&isArchived=true").body()))
                .containsExactly(id);
        assertThat(ids(getAs("dr-moreau", byIdentifier + "&period-end=ge2000-01-01")
                        .body()))
                .doesNotContain(id);
        assertThat(ids(getAs("dr-moreau", "/DocumentReference?patient.identifier=" + enc("urn:carnet:test|nobody"))
                        .body()))
                .isEmpty();
        assertThat(getAs("dr-moreau", "/DocumentReference?patient.name=x").statusCode())
                .as("other chains")
                .isEqualTo(400);
        String dentist = "/DocumentReference?patient.identifier=" + enc("urn:carnet:test|" + marker);
        assertThat(ids(getAs("dentiste", dentist).body()))
                .as("a record the caller cannot open")
                .isEmpty();
    }

    @Test
    void theProfessionalsDefaultViewShowsRecentCurrentDocumentsAndWhatIsNewSinceTheLastView() throws Exception {
        DocumentReference old = document(unique(), null);
        old.setDate(java.util.Date.from(java.time.Instant.now().minus(java.time.Duration.ofDays(900))));
        String oldId = createdDocument(old);
        String recent = createdDocument(document(unique(), null));
        DocumentReference report = document(unique(), null);
        report.setType(new CodeableConcept(new Coding("http://loinc.org", "11502-2", null)));
        String lab = createdDocument(report);
        DocumentReference replacement = document(unique(), null);
        replacement
                .addRelatesTo()
                .setCode(DocumentReference.DocumentRelationshipType.REPLACES)
                .setTarget(new Reference("DocumentReference/" + recent));
        String newer = createdDocument(replacement);

        Bundle view = view("dr-moreau", "");
        assertThat(view.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .contains(newer, lab)
                .doesNotContain(oldId, recent);
        assertThat(view.getEntry())
                .as("first view: everything is new")
                .allSatisfy(e -> assertThat(isNew(e)).isTrue());
        assertThat(view("dr-moreau", "").getEntry())
                .as("nothing filed since")
                .allSatisfy(e -> assertThat(isNew(e)).isFalse());
        Thread.sleep(5);
        String latest = createdDocument(document(unique(), null));
        assertThat(view("dr-moreau", "").getEntry())
                .filteredOn(this::isNew)
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(latest);

        Bundle labs = FHIR.newJsonParser()
                .parseResource(
                        Bundle.class,
                        getAs("dr-lambert", "/Patient/" + patient + "/$documents?type=11502-2&since=all")
                                .body());
        assertThat(labs.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(lab);
        assertThat(labs.getEntryFirstRep()
                        .getSearch()
                        .getExtensionByUrl("https://carnet.example.org/fhir/StructureDefinition/new-since-last-access")
                        .getValueAsPrimitive()
                        .getValueAsString())
                .isEqualTo("true");
        Bundle everything = FHIR.newJsonParser()
                .parseResource(
                        Bundle.class,
                        getAs("dr-moreau", "/Patient/" + patient + "/$documents?since=all&status=all")
                                .body());
        assertThat(everything.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .contains(oldId, recent, newer, lab);
        assertThat(getAs("dr-moreau", "/Patient/" + patient + "/$documents?since=hier")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void aHundredMegabyteContentIsStreamedBothWaysWithBoundedHeap() throws Exception {
        long size = 100L * 1024 * 1024;
        MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().contains("Old Gen") || p.getName().contains("Tenured"))
                .findFirst()
                .orElseThrow();
        System.gc();
        long before = old.getUsage().getUsed();
        old.resetPeakUsage();
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        HttpRequest upload = HttpRequest.newBuilder(URI.create(base() + "/Binary"))
                .header("Authorization", "Bearer " + token("dr-moreau"))
                .header("Content-Type", "application/pdf")
                .header("X-Security-Context", "Patient/" + patient)
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.security.DigestInputStream(new Pseudorandom(size), sent)),
                        size))
                .build();
        HttpResponse<String> uploaded = HTTP.send(upload, HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).isEqualTo(201);
        long peakUpload = old.getPeakUsage().getUsed() - before;
        String binary = FHIR.newJsonParser()
                .parseResource(Binary.class, uploaded.body())
                .getIdElement()
                .getIdPart();
        DocumentReference doc = document(unique(), null);
        doc.getContentFirstRep().getAttachment().setData(null).setUrl("Binary/" + binary);
        createdDocument(doc);

        old.resetPeakUsage();
        HttpResponse<InputStream> download = HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + "/Binary/" + binary))
                        .header("Authorization", "Bearer " + token("dr-moreau"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long count = 0;
        try (InputStream in = download.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; count += n) {
                received.update(buffer, 0, n);
            }
        }
        long peakDownload = old.getPeakUsage().getUsed() - before;
        System.out.printf(
                "100 MB document: old-generation growth at peak: upload %d MB, download %d MB%n",
                peakUpload >> 20, peakDownload >> 20);
        assertThat(count).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(received.digest()))
                .isEqualTo(HexFormat.of().formatHex(sent.digest()));
        // Holding the content would need a 100 MB array (a humongous, old-generation allocation): far above this.
        assertThat(peakUpload).isLessThan(48L << 20);
        assertThat(peakDownload).isLessThan(48L << 20);
    }

    // ---------------------------------------------------------------------------------------------------------

    private DocumentReference document(String uniqueId, String label) {
        DocumentReference doc = new DocumentReference();
        doc.setMasterIdentifier(new Identifier()
                .setSystem("urn:ietf:rfc:3986")
                .setValue("urn:oid:" + uniqueId.replaceAll("[^0-9.]", "9")));
        doc.setSubject(new Reference("Patient/" + patient));
        doc.setType(new CodeableConcept(new Coding("http://loinc.org", "11488-4", "Compte rendu de consultation")));
        doc.addAuthor(new Reference("Practitioner/" + moreau));
        doc.setDescription("Compte rendu");
        doc.addContent().getAttachment().setContentType("application/pdf").setData(PDF);
        return doc;
    }

    private Bundle provideBundle(String uniqueId) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String docUrl = "urn:uuid:" + unique();
        String binaryUrl = "urn:uuid:" + unique();
        ListResource submission = new ListResource();
        submission.setStatus(ListResource.ListStatus.CURRENT).setMode(ListResource.ListMode.WORKING);
        submission.setSubject(new Reference("Patient/" + patient));
        submission.addEntry().setItem(new Reference(docUrl));
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + unique())
                .setResource(submission)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("List");
        DocumentReference doc = document(uniqueId, null);
        doc.getContentFirstRep().getAttachment().setData(null).setUrl(binaryUrl);
        bundle.addEntry()
                .setFullUrl(docUrl)
                .setResource(doc)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("DocumentReference");
        bundle.addEntry()
                .setFullUrl(binaryUrl)
                .setResource(new Binary().setContentType("application/pdf").setData(PDF))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Binary");
        return bundle;
    }

    private String createdDocument(DocumentReference doc) throws Exception {
        HttpResponse<String> created =
                sendAs("dr-moreau", "POST", "/DocumentReference", "application/fhir+json", json(doc));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return FHIR.newJsonParser()
                .parseResource(DocumentReference.class, created.body())
                .getIdElement()
                .getIdPart();
    }

    private int documentsWith(String uniqueId) {
        return client.search()
                .forResource(DocumentReference.class)
                .where(DocumentReference.IDENTIFIER.exactly().code("urn:oid:" + uniqueId.replaceAll("[^0-9.]", "9")))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .size();
    }

    private Bundle view(String identity, String query) throws Exception {
        return FHIR.newJsonParser()
                .parseResource(
                        Bundle.class,
                        getAs(identity, "/Patient/" + patient + "/$documents" + query)
                                .body());
    }

    private boolean isNew(Bundle.BundleEntryComponent entry) {
        return ((org.hl7.fhir.r4.model.BooleanType) entry.getSearch()
                        .getExtensionByUrl("https://carnet.example.org/fhir/StructureDefinition/new-since-last-access")
                        .getValue())
                .booleanValue();
    }

    private org.hl7.fhir.r4.model.Patient clientRead(String id) {
        return client.read()
                .resource(org.hl7.fhir.r4.model.Patient.class)
                .withId(id)
                .execute();
    }

    private static List<String> ids(String searchset) {
        return FHIR.newJsonParser().parseResource(Bundle.class, searchset).getEntry().stream()
                .map(e -> e.getResource().getIdElement().getIdPart())
                .toList();
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> bytes(String identity, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Authorization", "Bearer " + token(identity))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> sendBytes(
            String identity, String method, String path, String contentType, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + token(identity))
                .header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A real one-page PDF with this line of text. */
    private static byte[] pdf(String line) {
        try (var document = new org.apache.pdfbox.pdmodel.PDDocument();
                var out = new java.io.ByteArrayOutputStream()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage();
            document.addPage(page);
            try (var stream = new org.apache.pdfbox.pdmodel.PDPageContentStream(document, page)) {
                stream.beginText();
                stream.setFont(
                        new org.apache.pdfbox.pdmodel.font.PDType1Font(
                                org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA),
                        12);
                stream.newLineAtOffset(72, 700);
                stream.showText(line);
                stream.endText();
            }
            document.save(out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String json(org.hl7.fhir.r4.model.Resource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    /** A deterministic, incompressible stream of {@code size} bytes that never exists whole in memory. */
    static final class Pseudorandom extends InputStream {
        private final long size;
        private long position;
        private long state = 0x9E3779B97F4A7C15L;

        Pseudorandom(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            position++;
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            return (int) (state & 0xFF);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) read();
            }
            return n;
        }
    }
}
