package org.carnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.carnet.ingestion.Inbound;
import org.carnet.ingestion.Ingestion;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The document rules a review of issue 6 found missing, each test written against the defect it found (the comment
 * says what went wrong before): authorship, status and subject fixed after filing, deleted documents stay deleted,
 * unique-id collisions are errors, identity-vigilance on a conflicting INS, the connector's audit on the right chain,
 * a readable upload Location. Setup as in DocumentsIT: a fresh patient per test, dr-moreau its médecin traitant,
 * dr-lambert in its care team.
 */
class DocumentRulesIT extends CarnetIT {

    static final String MOREAU_IDNAT = "810004372156";
    static final String LAMBERT_IDNAT = "810005820468";
    static final String VISIBILITY_SYSTEM =
            "https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument";

    @Autowired
    Ingestion ingestion;

    @Autowired
    JdbcTemplate jdbc;

    String patient;
    String moreau;
    String lambert;

    @BeforeEach
    void record() {
        patient = newPatient();
        moreau = practitioner(MOREAU_IDNAT, "Moreau");
        lambert = practitioner(LAMBERT_IDNAT, "Lambert");
    }

    private String newPatient() {
        String id = created(patient("Revue", unique())).getIdElement().getIdPart();
        accessRule(id, "$designate-traitant", MOREAU_IDNAT);
        accessRule(id, "$add-care-team", LAMBERT_IDNAT);
        return id;
    }

    /**
     * Found in review, defect 1 (access leak, masking bypass). DocumentReference.author is freely editable by any professional who may
     * write in the record (DocumentIntake.checkLifecycle and RecordReads.checkWritable only protect the visibility
     * labels), yet the access decision exempts a masked document's authors (AccessDecisions: Grant exempt authors =
     * caller.practitionerIds(), read from access_tags "author:<id>"). The médecin traitant, who sees MASQUE_PS
     * documents, adds a colleague as "author" with a PUT and the colleague then reads the document the holder hid
     * from professionals. The same hole lets a non-author make himself author and then withdraw, replace or delete
     * someone else's document (the author-only rules read the author list of the stored version).
     */
    @Test
    void aNonAuthorCannotEditAuthorshipToLiftMaskingOrTheAuthorOnlyRules() throws Exception {
        String hospital = practitioner("810001112223", "Hopital");
        DocumentReference masked = document(patient, unique(), hospital, "Compte rendu masqué");
        masked.addSecurityLabel(new CodeableConcept(new Coding(VISIBILITY_SYSTEM, "MASQUE_PS", null)));
        String id = createdAs(SYSTEM, masked);
        assertThat(getAs("dr-lambert", "/DocumentReference/" + id).statusCode())
                .as("masked")
                .isEqualTo(404);

        DocumentReference seen = read("dr-moreau", id); // the médecin traitant sees masked documents
        seen.addAuthor(new Reference("Practitioner/" + lambert));
        seen.getMeta().setVersionId(null).setLastUpdated(null);
        HttpResponse<String> put =
                sendAs("dr-moreau", "PUT", "/DocumentReference/" + id, "application/fhir+json", json(seen));
        System.out.println("authorship PUT by a non-author -> " + put.statusCode());

        assertThat(getAs("dr-lambert", "/DocumentReference/" + id).statusCode())
                .as("a document the holder masked must stay hidden from dr-lambert (PUT answered %s)", put.statusCode())
                .isEqualTo(404);
    }

    /**
     * Found in review, defect 2 (author-only rules, content rules bypassed). A PUT on a deleted DocumentReference resurrects it:
     * DocumentIntake.current() treats the deleted document as unknown (ResourceGoneException -> empty) and, for a
     * restricted caller, skips every document rule ("continue"), while RecordReads.apply happily writes a new version
     * over the deleted row (and checkWritable skips its label check for deleted rows). So anyone with write access
     * undoes the author's deletion, with inline attachment.data kept in the resource JSON (no blob, no Binary), no
     * author check and no unique-id filing.
     */
    @Test
    void aDeletedDocumentCannotBeRevivedByAPutFromANonAuthor() throws Exception {
        String id = createdAs("dr-moreau", document(patient, unique(), moreau, "Compte rendu retiré"));
        DocumentReference before = read("dr-moreau", id);
        assertThat(sendAs("dr-moreau", "DELETE", "/DocumentReference/" + id, null, null)
                        .statusCode())
                .isIn(200, 204);

        before.getMeta().setVersionId(null).setLastUpdated(null);
        before.setContent(new java.util.ArrayList<>());
        before.addContent()
                .getAttachment()
                .setContentType("text/plain")
                .setData("contenu substitué".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> revived =
                sendAs("dr-lambert", "PUT", "/DocumentReference/" + id, "application/fhir+json", json(before));
        System.out.println(
                "PUT on a deleted document by a non-author -> " + revived.statusCode() + " " + revived.body());
        assertThat(revived.statusCode()).as(revived.body()).isIn(403, 404, 405, 409, 410, 422);
    }

    /**
     * Found in review, defect 3 (author-only lifecycle). checkLifecycle requires the author only for a move to entered-in-error. Any
     * writer may set status=superseded (the document vanishes from $documents, whose default is status=current) or
     * put a withdrawn document back to current, which are withdrawal / reinstatement by a non-author.
     */
    @Test
    void onlyTheAuthorChangesADocumentsStatus() throws Exception {
        String id = createdAs("dr-moreau", document(patient, unique(), moreau, "Compte rendu"));
        String patch = "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"superseded\"}]";
        HttpResponse<String> byLambert =
                sendAs("dr-lambert", "PATCH", "/DocumentReference/" + id, "application/json-patch+json", patch);
        assertThat(byLambert.statusCode()).as(byLambert.body()).isEqualTo(403);
    }

    /** PDSm's archiving flag (an extension) is the author's to set, like the status. */
    @Test
    void onlyTheAuthorArchivesADocument() throws Exception {
        String id = createdAs("dr-moreau", document(patient, unique(), moreau, "Compte rendu"));
        String patch =
                "[{\"op\":\"add\",\"path\":\"/extension\",\"value\":[{\"url\":\"https://interop.esante.gouv.fr/ig/"
                        + "fhir/pdsm/StructureDefinition/pdsm-ext-is-archived\",\"valueBoolean\":true}]}]";
        assertThat(sendAs("dr-lambert", "PATCH", "/DocumentReference/" + id, "application/json-patch+json", patch)
                        .statusCode())
                .isEqualTo(403);
        assertThat(sendAs("dr-moreau", "PATCH", "/DocumentReference/" + id, "application/json-patch+json", patch)
                        .statusCode())
                .isEqualTo(200);
    }

    /**
     * Found in review, defect 4 (a document lost with a 200). DocumentIntake.apply treats any second arrival of a unique id as a
     * duplicate, whatever its content and record: a different document (other bytes, other patient) sent under a
     * unique id already filed is answered 200 "duplicate, nothing stored" and its content is lost; the sender also
     * learns the id of a document in a record it may not open. IHE XDS answers such a collision with an error
     * (XDSNonIdenticalHash / XDSDuplicateUniqueIdInRegistry): the sender must learn that nothing was filed.
     */
    @Test
    void aUniqueIdAlreadyFiledWithOtherContentInAnotherRecordIsAnErrorNotADuplicate() throws Exception {
        String other = newPatient();
        DocumentReference first = document(patient, unique(), moreau, "Compte rendu de Mme A");
        createdAs("dr-moreau", first);
        DocumentReference second = document(other, unique(), moreau, "Compte rendu de Mme B, tout autre");
        second.setMasterIdentifier(first.getMasterIdentifier().copy());
        HttpResponse<String> again =
                sendAs("dr-moreau", "POST", "/DocumentReference", "application/fhir+json", json(second));
        System.out.println(
                "same unique id, other patient, other content -> " + again.statusCode() + " " + again.body());
        assertThat(again.statusCode()).as(again.body()).isIn(409, 422);
    }

    /**
     * Found in review, defect 6 (audit on the wrong chain). The FHIR connector (FhirConnector.read) reports as "the patient" only a
     * Patient the Bundle itself created or updated; a Bundle filing a DocumentReference into an existing record gives
     * patientId null, so Ingestion.filed() writes the audit entry on the no-patient chain. The holder's trail never
     * shows that the connector added a document to the record (BRIEF: every action traced, the holder reads them).
     */
    @Test
    void theFhirConnectorAuditsADocumentOnTheRecordItWasFiledIn() throws Exception {
        DocumentReference doc = document(patient, unique(), moreau, "Compte rendu importé");
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + unique())
                .setResource(doc)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("DocumentReference");
        Ingestion.Outcome outcome = ingestion.receive(new Inbound(
                "fhir",
                "export.json",
                FHIR.newJsonParser().encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8)));
        assertThat(outcome.status()).as(String.valueOf(outcome.reason())).isEqualTo(Ingestion.Status.FILED);
        Integer entries = jdbc.queryForObject(
                "select count(*) from audit_entry where patient_id = ? and actor = 'system:ingestion'",
                Integer.class,
                patient);
        System.out.println(
                "fhir connector outcome patient=" + outcome.patientId() + ", audit entries on record=" + entries);
        assertThat(entries)
                .as("audit entry of the connector's write on the patient's chain")
                .isPositive();
    }

    /**
     * Found in review, defect 7 (a document moves between records). Nothing stops a PATCH/PUT of DocumentReference.subject: the
     * document is re-filed in another patient's record while its contents stay rows (and blobs, encrypted with the
     * first patient's key) of the first patient, and document_identity still names the first patient. The content is
     * then served under the second record's access rules, and erasing the first record's key destroys the second
     * record's document. A misfiled document is withdrawn and filed again, it is not moved.
     */
    @Test
    void aDocumentsSubjectNeverChanges() throws Exception {
        String other = newPatient();
        String id = createdAs("dr-moreau", document(patient, unique(), moreau, "Compte rendu"));
        String patch = "[{\"op\":\"replace\",\"path\":\"/subject/reference\",\"value\":\"Patient/" + other + "\"}]";
        HttpResponse<String> moved =
                sendAs("dr-moreau", "PATCH", "/DocumentReference/" + id, "application/json-patch+json", patch);
        System.out.println("subject moved -> " + moved.statusCode() + "; content rows of patient "
                + jdbc.queryForList("select patient_id from document_content where docref_id = ?", String.class, id));
        assertThat(moved.statusCode()).as(moved.body()).isIn(403, 409, 422);
    }

    /**
     * Found in review, defect 8 (500 instead of 4xx). A DocumentReference without a subject makes DocumentIntake.apply insert its
     * document_identity row with patient_id null (patientOfDoc holds the key with a null value, so getOrDefault(docId,
     * "") returns null) and the NOT NULL constraint fails: 500 "Internal error". The intended 422 ("has content but no
     * subject: a document is filed in a patient's record") is checked only after that insert and is never reached;
     * a subject-less document whose content is held elsewhere (absolute URL, which the intake accepts) fails the same.
     */
    @Test
    void aDocumentWithoutSubjectIsAClear4xxNotA500() throws Exception {
        DocumentReference inline = document(patient, unique(), moreau, "Sans patient");
        inline.setSubject(null);
        HttpResponse<String> noSubject =
                sendAs(SYSTEM, "POST", "/DocumentReference", "application/fhir+json", json(inline));
        DocumentReference elsewhere = document(patient, unique(), moreau, "x");
        elsewhere.setSubject(null);
        elsewhere.getContentFirstRep().getAttachment().setData(null).setUrl("https://example.org/cr.pdf");
        HttpResponse<String> external =
                sendAs(SYSTEM, "POST", "/DocumentReference", "application/fhir+json", json(elsewhere));
        System.out.println(
                "no subject -> " + noSubject.statusCode() + " / content elsewhere -> " + external.statusCode());
        assertThat(noSubject.statusCode()).as(noSubject.body()).isEqualTo(422);
        assertThat(external.statusCode()).as(external.body()).isLessThan(500);
    }

    /**
     * Found in review, defect 9 (identity vigilance: filed in the wrong record). PatientMatcher.match falls back to the traits when no
     * record carries the item's INS, even if the record the traits find carries another INS under the same register.
     * Two different people (homonyms born the same day) are then merged: the item of INS X is filed in the record
     * of INS Y. A conflicting INS must send the item to quarantine, never to a guessed record.
     */
    @Test
    void anItemWhoseInsDiffersFromTheRecordFoundByTraitsGoesToQuarantine() throws Exception {
        String family =
                "REVUE" + unique().replaceAll("[^a-f]", "").toUpperCase().substring(0, 6);
        String otherIns = nir("2820675123457");
        org.hl7.fhir.r4.model.Patient homonym = org.carnet.identity.InsPatients.qualified(
                otherIns, family, "CLAIRE ANNE", "F", "1982-06-15", otherIns.substring(5, 10));
        String recordY = client.create().resource(homonym).execute().getId().getIdPart();
        byte[] cda;
        try (var in = DocumentRulesIT.class.getResourceAsStream("/ingestion/cda/consultation_structured.xml")) {
            cda = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("282067512345645", nir("2820675123456"))
                    .replace("MARTIN", family)
                    .replace("CR-2023-0415-001", unique())
                    .getBytes(StandardCharsets.UTF_8);
        }
        Ingestion.Outcome outcome = ingestion.receive(new Inbound("cda", "homonyme.xml", cda));
        System.out.println("item with INS X, record with INS Y -> " + outcome.status() + " " + outcome.patientId()
                + " (record Y " + recordY + ") " + outcome.reason());
        assertThat(outcome.status())
                .as("filed into the record of another INS: %s", outcome.patientId())
                .isEqualTo(Ingestion.Status.QUARANTINED);
    }

    /**
     * Found in review, defect 10 (surprising API). POST /fhir/Binary answers 201 with Location Binary/<id>/_history/1, but the
     * filter serves only GET Binary/<id>: following the Location (a vread) is answered 405 "not supported", even once
     * the content is claimed and readable. (Likewise HEAD Binary/<id> and an over-long id give 405 rather than 404.)
     */
    @Test
    void theLocationOfAnUploadedContentCanBeRead() throws Exception {
        HttpResponse<String> uploaded = sendAs(
                "dr-moreau",
                "POST",
                "/Binary",
                "text/plain",
                "Compte rendu",
                "X-Security-Context",
                "Patient/" + patient);
        assertThat(uploaded.statusCode()).isEqualTo(201);
        String binary = FHIR.newJsonParser()
                .parseResource(Binary.class, uploaded.body())
                .getIdElement()
                .getIdPart();
        DocumentReference doc = document(patient, unique(), moreau, "x");
        doc.getContentFirstRep().getAttachment().setData(null).setUrl("Binary/" + binary);
        createdAs("dr-moreau", doc);
        String location = uploaded.headers().firstValue("Location").orElseThrow();
        assertThat(getAs("dr-moreau", "/Binary/" + binary).statusCode()).isEqualTo(200);
        HttpResponse<String> followed = getAs("dr-moreau", location);
        assertThat(followed.statusCode())
                .as(location + " -> " + followed.body())
                .isEqualTo(200);
    }

    private static String nir(String body) {
        long n = Long.parseLong(body);
        return body + String.format("%02d", 97 - (n % 97));
    }

    // ---------------------------------------------------------------------------------------------------------

    private DocumentReference document(String subject, String marker, String author, String text) {
        DocumentReference doc = new DocumentReference();
        doc.setMasterIdentifier(new Identifier()
                .setSystem("urn:ietf:rfc:3986")
                .setValue("urn:oid:1.2.250.1.999.7." + Math.abs(marker.hashCode()) + "." + System.nanoTime()));
        doc.setSubject(new Reference("Patient/" + subject));
        doc.setType(new CodeableConcept(new Coding("http://loinc.org", "11488-4", "Compte rendu de consultation")));
        if (author != null) {
            doc.addAuthor(new Reference("Practitioner/" + author));
        }
        doc.setDescription("Compte rendu");
        doc.addContent().getAttachment().setContentType("text/plain").setData(text.getBytes(StandardCharsets.UTF_8));
        return doc;
    }

    private String createdAs(String identity, DocumentReference doc) throws Exception {
        HttpResponse<String> created =
                sendAs(identity, "POST", "/DocumentReference", "application/fhir+json", json(doc));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return FHIR.newJsonParser()
                .parseResource(DocumentReference.class, created.body())
                .getIdElement()
                .getIdPart();
    }

    private DocumentReference read(String identity, String id) throws Exception {
        HttpResponse<String> r = getAs(identity, "/DocumentReference/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(DocumentReference.class, r.body());
    }

    private static String json(org.hl7.fhir.r4.model.Resource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
