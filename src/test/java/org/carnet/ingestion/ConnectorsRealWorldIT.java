package org.carnet.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.carnet.CarnetIT;
import org.carnet.document.DocumentIntake;
import org.carnet.identity.InsPatients;
import org.carnet.ingestion.hl7v2.Hl7Fixtures;
import org.carnet.ingestion.pdf.Pdfs;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Ratio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The connectors on items of the shapes hospitals and the ANS send (issue 13): an ORU with results and a PDF, an
 * MDM^T02 with a PDF letter, an ORU with two CDAs, a level 1 CDA with a PDF, a CDA whose INS fails its key check.
 */
class ConnectorsRealWorldIT extends CarnetIT {

    /** The fixtures' patient Marie MARTIN is re-identified as Julie LEGRAND here, so other tests' records stay apart. */
    static final String JULIE_INS = "285076912360073";
    /** Claire's INS with its key corrected; the fixture {@code consultation_structured.xml} carries a wrong key. */
    static final String CLAIRE_INS = "282067512345689";

    @Autowired
    Ingestion ingestion;

    @Autowired
    BulkImport bulk;

    @TempDir
    Path temp;

    @Autowired
    org.springframework.core.env.Environment environment;

    @Test
    void anOruWithResultsAndAPdfFilesThePdfWithItsTextAndEachOrderAsItsOwnReport() throws Exception {
        String patient = julie();
        String marker = marker();
        String message = forJulie(Hl7Fixtures.oruWithPdfAndResults(Pdfs.text("Compte rendu de numération " + marker))
                .replace("LAB-20240912-42", "LAB-" + marker)
                .replace("MVT-7781", "MVT-" + marker)
                .replace("NFS-24-0912-001", "NFS-" + marker)
                .replace("CRP-24-0912-002", "CRP-" + marker));

        Ingestion.Outcome outcome =
                ingestion.receive(new Inbound("hl7v2", "oru-pdf", message.getBytes(StandardCharsets.UTF_8)));

        assertThat(outcome.status()).as(String.valueOf(outcome.reason())).isEqualTo(Ingestion.Status.FILED);
        DocumentReference pdf = only(
                DocumentReference.class,
                "DocumentReference?patient=" + patient + "&identifier="
                        + enc("urn:carnet:hl7v2:SGL-FICTIF:LAB-" + marker + ":OBX-5"));
        assertThat(pdf.getContent())
                .extracting(c -> c.getAttachment().getContentType())
                .containsExactly("application/pdf", "text/plain; charset=utf-8");
        assertThat(get("/" + pdf.getContent().get(1).getAttachment().getUrl()).body())
                .contains("numération " + marker);
        assertThat(pdf.getType().getCodingFirstRep().getCode()).isEqualTo("11502-2");

        DiagnosticReport count =
                only(DiagnosticReport.class, "DiagnosticReport?patient=" + patient + "&identifier=NFS-" + marker);
        DiagnosticReport crp =
                only(DiagnosticReport.class, "DiagnosticReport?patient=" + patient + "&identifier=CRP-" + marker);
        assertThat(count.getCode().getCodingFirstRep().getCode()).isEqualTo("57021-8");
        assertThat(count.getResult()).hasSize(4);
        assertThat(crp.getCode().getCodingFirstRep().getCode()).isEqualTo("1988-5");
        assertThat(crp.getResult()).hasSize(4);
        assertThat(pdf.getContext().getRelatedFirstRep().getReference())
                .isEqualTo("DiagnosticReport/" + count.getIdPart());

        Observation leucocytes =
                read(Observation.class, count.getResult().get(0).getReference());
        assertThat(leucocytes.getValueQuantity().getValue()).isEqualByComparingTo("5.8");
        assertThat(leucocytes.getValueQuantity().getCode()).isEqualTo("10*9/L");
        Observation crpValue = read(Observation.class, crp.getResult().get(0).getReference());
        assertThat(crpValue.getValueQuantity().getComparator()).isEqualTo(Quantity.QuantityComparator.LESS_THAN);
        assertThat(read(Observation.class, crp.getResult().get(1).getReference())
                        .getValue())
                .isInstanceOf(Ratio.class);
        assertThat(read(Observation.class, crp.getResult().get(2).getReference())
                        .getValue())
                .isInstanceOf(CodeableConcept.class);

        Encounter stay = only(Encounter.class, "Encounter?patient=" + patient + "&identifier=MVT-" + marker);
        assertThat(stay.getLocationFirstRep().getLocation().getDisplay()).isEqualTo("Cardiologie B");
        assertThat(count.getEncounter().getReference()).isEqualTo("Encounter/" + stay.getIdPart());
        assertThat(count("DocumentReference?patient=" + patient + "&identifier="
                        + enc("urn:carnet:hl7v2:SGL-FICTIF:LAB-" + marker)))
                .as("no rendering: the lab sent its report")
                .isZero();

        assertThat(ingestion
                        .receive(new Inbound("hl7v2", "again", message.getBytes(StandardCharsets.UTF_8)))
                        .status())
                .isEqualTo(Ingestion.Status.ALREADY_RECEIVED);
    }

    @Test
    void anMdmT02PdfLetterIsFiledUnderItsTxaUniqueIdWithItsText() throws Exception {
        String patient = julie();
        String marker = marker();
        String uniqueId = "1.2.250.1.999.69.2." + Math.abs(marker.hashCode());
        String message = forJulie(Hl7Fixtures.mdmPdfLetter(Pdfs.text("Lettre de liaison " + marker))
                .replace("1.2.250.1.999.69.2.20240915.7", uniqueId));

        Ingestion.Outcome outcome =
                ingestion.receive(new Inbound("hl7v2", "mdm-pdf", message.getBytes(StandardCharsets.UTF_8)));

        assertThat(outcome.status()).as(String.valueOf(outcome.reason())).isEqualTo(Ingestion.Status.FILED);
        DocumentReference letter = only(
                DocumentReference.class,
                "DocumentReference?patient=" + patient + "&identifier=" + enc("urn:oid:" + uniqueId));
        assertThat(letter.getType().getCodingFirstRep().getCode()).isEqualTo("11490-0");
        assertThat(letter.getContentFirstRep().getAttachment().getContentType()).isEqualTo("application/pdf");
        assertThat(get("/" + letter.getContent().get(1).getAttachment().getUrl())
                        .body())
                .contains("Lettre de liaison " + marker);
    }

    @Test
    void everyCdaOfAMessageIsFiledOrNoneIs() throws Exception {
        String patient = julie();
        String first = marker();
        String second = marker();
        String message = forJulie(
                Hl7Fixtures.oruTwoCdas(cdaFor(first), cdaFor(second)).replace("LAB-20240913-2CDA", "LAB-" + first));

        Ingestion.Outcome outcome =
                ingestion.receive(new Inbound("hl7v2", "two-cdas", message.getBytes(StandardCharsets.UTF_8)));

        assertThat(outcome.status()).as(String.valueOf(outcome.reason())).isEqualTo(Ingestion.Status.FILED);
        assertThat(count("DocumentReference?patient=" + patient + "&identifier=" + enc(uniqueIdOf(first))))
                .isEqualTo(1);
        assertThat(count("DocumentReference?patient=" + patient + "&identifier=" + enc(uniqueIdOf(second))))
                .isEqualTo(1);

        // A second message whose second CDA collides (its unique id filed with other content) files neither.
        String third = marker();
        byte[] collision = new String(cdaFor(second), StandardCharsets.UTF_8)
                .replace("</ClinicalDocument>", "<!-- autre contenu --></ClinicalDocument>")
                .getBytes(StandardCharsets.UTF_8);
        String colliding =
                forJulie(Hl7Fixtures.oruTwoCdas(cdaFor(third), collision).replace("LAB-20240913-2CDA", "LAB-" + third));
        Ingestion.Outcome refused =
                ingestion.receive(new Inbound("hl7v2", "collision", colliding.getBytes(StandardCharsets.UTF_8)));
        assertThat(refused.status()).isEqualTo(Ingestion.Status.FAILED);
        assertThat(count("DocumentReference?patient=" + patient + "&identifier=" + enc(uniqueIdOf(third))))
                .as("the first document of a message that is not filed whole")
                .isZero();
    }

    @Test
    void theSameCdaWithCrLfInAMessageAfterLfInAFileIsADuplicateAndOtherTextUnderItsIdACollision() throws Exception {
        String patient = julie();
        String marker = marker();
        byte[] lf = cdaFor(marker);
        assertThat(new String(lf, StandardCharsets.UTF_8)).contains("\n").doesNotContain("\r");
        Ingestion.Outcome fromFile = ingestion.receive(new Inbound("cda", "consultation.xml", lf));
        assertThat(fromFile.status()).as(String.valueOf(fromFile.reason())).isEqualTo(Ingestion.Status.FILED);

        byte[] crLf =
                new String(lf, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        String message = forJulie(oruOneCda(crLf).replace("LAB-20240913-2CDA", "LAB-" + marker));
        Ingestion.Outcome fromMessage =
                ingestion.receive(new Inbound("hl7v2", "oru-crlf", message.getBytes(StandardCharsets.UTF_8)));

        assertThat(fromMessage.status())
                .as(String.valueOf(fromMessage.reason()))
                .isEqualTo(Ingestion.Status.DUPLICATE);
        assertThat(fromFile.resources().get(0)).startsWith("DocumentReference/");
        assertThat(fromMessage.resources())
                .as("the document filed first")
                .containsExactly(fromFile.resources().get(0));
        assertThat(count("DocumentReference?patient=" + patient + "&identifier=" + enc(uniqueIdOf(marker))))
                .isEqualTo(1);
        DocumentReference filed =
                read(DocumentReference.class, fromFile.resources().get(0));
        assertThat(get("/" + filed.getContentFirstRep().getAttachment().getUrl())
                        .body()
                        .getBytes(StandardCharsets.UTF_8))
                .as("the bytes as first received")
                .isEqualTo(lf);

        byte[] otherText = new String(crLf, StandardCharsets.UTF_8)
                .replace("Compte rendu", "Compte-rendu")
                .getBytes(StandardCharsets.UTF_8);
        String colliding = forJulie(oruOneCda(otherText).replace("LAB-20240913-2CDA", "LAB-" + marker()));
        Ingestion.Outcome collision =
                ingestion.receive(new Inbound("hl7v2", "oru-other", colliding.getBytes(StandardCharsets.UTF_8)));
        assertThat(collision.status()).isEqualTo(Ingestion.Status.FAILED);
        assertThat(collision.reason()).contains("is filed already for another document: nothing was filed");
    }

    @Test
    void aBulkImportFilesAReplacementWhoseFileSortsFirstAfterTheDocumentItReplaces() throws Exception {
        String patient = julie();
        String marker = marker();
        Path dir = Files.createDirectories(temp.resolve("order-" + marker));
        // By name the replacement comes first; by effectiveTime (16 then 15 April 2023) it comes second.
        Files.write(dir.resolve("a-version2.xml"), julieCda("cda/consultation_replacing_previous_version.xml", marker));
        Files.write(dir.resolve("b-version1.xml"), julieCda("cda/consultation_structured.xml", marker));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        BulkImport.Report report = bulk.run(dir, new PrintStream(progress, true, StandardCharsets.UTF_8), false);

        assertThat(report.problems()).isEmpty();
        assertThat(report.count(Ingestion.Status.FILED)).isEqualTo(2);
        assertThat(progress.toString(StandardCharsets.UTF_8))
                .as("filed in time order, nothing waited")
                .contains("waiting 0")
                .doesNotContain("waiting 1");
        assertSuperseded(patient, marker);
    }

    @Test
    void aReplacementThatStillComesFirstWaitsForItsDocumentUntilTheEndOfTheBatch() throws Exception {
        String patient = julie();
        String marker = marker();
        Path dir = Files.createDirectories(temp.resolve("wait-" + marker));
        // The replacement's clock was behind: by time too it comes before the document it replaces.
        Files.write(
                dir.resolve("a-version2.xml"),
                new String(julieCda("cda/consultation_replacing_previous_version.xml", marker), StandardCharsets.UTF_8)
                        .replace("20230416091500+0200", "20230414091500+0200")
                        .getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("b-version1.xml"), julieCda("cda/consultation_structured.xml", marker));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        BulkImport.Report report = bulk.run(dir, new PrintStream(progress, true, StandardCharsets.UTF_8), false);

        assertThat(report.problems()).isEmpty();
        assertThat(report.count(Ingestion.Status.FILED)).isEqualTo(2);
        assertThat(report.count(Ingestion.Status.WAITING)).isZero();
        assertThat(progress.toString(StandardCharsets.UTF_8))
                .as("it waited while the batch went on")
                .contains("waiting 1");
        assertSuperseded(patient, marker);
    }

    @Test
    void aDeletionComesAfterItsDocumentAndOneWhoseDocumentNeverComesGoesToTheDeadLettersWithItsReason()
            throws Exception {
        String patient = julie();
        String filed = marker();
        String never = marker();
        Path dir = Files.createDirectories(temp.resolve("delete-" + filed));
        // OBX-11 "D": the row's document is deleted. By name both deletions come before the document.
        Files.writeString(dir.resolve("a-deletion.hl7"), deletionOf(filed));
        Files.writeString(dir.resolve("a-deletion-of-a-document-never-sent.hl7"), deletionOf(never));
        Files.write(dir.resolve("b-initial.xml"), cdaFor(filed));

        BulkImport.Report report = bulk.run(dir, new PrintStream(OutputStream.nullOutputStream()), false);

        assertThat(report.count(Ingestion.Status.FILED)).isEqualTo(2);
        assertThat(report.count(Ingestion.Status.FAILED)).isEqualTo(1);
        assertThat(report.problems())
                .singleElement()
                .asString()
                .startsWith("a-deletion-of-a-document-never-sent.hl7: failed, refused: the message deletes "
                        + uniqueIdOf(never) + ", which is not filed")
                .endsWith("(the document it names was not filed by the end of the import)");
        assertThat(count("DocumentReference?patient=" + patient + "&identifier=" + enc(uniqueIdOf(filed))))
                .isZero();
        assertThat(count("DocumentReference?patient=" + patient + "&identifier=" + enc(uniqueIdOf(never))))
                .isZero();
    }

    @Test
    void aDeletionDroppedBeforeItsDocumentStaysInTheDropDirectoryUntilTheDocumentIsFiledThenBothAreDone()
            throws Exception {
        String patient = julie();
        String marker = marker();
        Path drop = Path.of(environment.getProperty("carnet.ingestion.drop-dir"));
        Path deletion = drop.resolve("suppression-" + marker + ".hl7");
        Files.writeString(deletion, deletionOf(marker));
        Files.setLastModifiedTime(deletion, FileTime.from(Instant.now().minusSeconds(10)));
        Thread.sleep(1500); // several rounds of the drop directory (every 200 ms in tests)
        assertThat(deletion).as("waits for its document").exists();
        assertThat(drop.resolve("failed").resolve(deletion.getFileName())).doesNotExist();

        Path initial = drop.resolve("initial-" + marker + ".xml");
        Files.write(initial, cdaFor(marker));
        Files.setLastModifiedTime(initial, FileTime.from(Instant.now().minusSeconds(10)));
        awaitMoved(deletion, drop.resolve("done"));
        assertThat(drop.resolve("done").resolve(initial.getFileName())).exists();
        assertThat(count("DocumentReference?patient=" + patient + "&identifier=" + enc(uniqueIdOf(marker))))
                .as("deleted")
                .isZero();

        // Older than carnet.ingestion.drop-wait (10 minutes): not kept waiting any more.
        Path late = drop.resolve("suppression-" + marker() + ".hl7");
        Files.writeString(late, deletionOf(marker()));
        Files.setLastModifiedTime(late, FileTime.from(Instant.now().minus(Duration.ofMinutes(11))));
        awaitMoved(late, drop.resolve("failed"));
    }

    @Test
    void aCdaHeadersOrganisationsAndItsAuthorsRoleAreFiledAsSharedResourcesThatFilingAgainLeavesAsTheyAre()
            throws Exception {
        String patient = julie();
        String leroy = practitioner("810002345678", "LEROY", "Jeanne");
        String cabinet = "Organization/cda-org-"
                + UUID.nameUUIDFromBytes("urn:oid:1.2.250.1.71.4.2.2|1690000001".getBytes(StandardCharsets.UTF_8));

        Ingestion.Outcome first = ingestion.receive(new Inbound("cda", "first.xml", cdaFor(marker())));

        assertThat(first.status()).as(String.valueOf(first.reason())).isEqualTo(Ingestion.Status.FILED);
        DocumentReference doc = read(DocumentReference.class, first.resources().get(0));
        assertThat(doc.getSubject().getReference()).isEqualTo("Patient/" + patient);
        assertThat(doc.getCustodian().getReference()).isEqualTo(cabinet);
        assertThat(doc.getAuthor())
                .extracting(org.hl7.fhir.r4.model.Reference::getReference)
                .hasSize(2)
                .startsWith("Practitioner/" + leroy);
        String roleId = doc.getAuthor().get(1).getReference();
        assertThat(roleId).startsWith("PractitionerRole/cda-role-");
        org.hl7.fhir.r4.model.PractitionerRole role = read(org.hl7.fhir.r4.model.PractitionerRole.class, roleId);
        assertThat(role.getPractitioner().getReference()).isEqualTo("Practitioner/" + leroy);
        assertThat(role.getOrganization().getReference()).isEqualTo(cabinet);
        org.hl7.fhir.r4.model.Organization organization = read(org.hl7.fhir.r4.model.Organization.class, cabinet);
        assertThat(organization.getIdentifierFirstRep().getSystem()).isEqualTo("urn:oid:1.2.250.1.71.4.2.2");
        assertThat(organization
                        .getIdentifierFirstRep()
                        .getType()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("IDNST");
        String organizationVersion = organization.getMeta().getVersionId();
        String roleVersion = role.getMeta().getVersionId();

        // Another document of the same author and cabinet, and the first one again by another route.
        Ingestion.Outcome second = ingestion.receive(new Inbound("cda", "second.xml", cdaFor(marker())));
        assertThat(second.status()).isEqualTo(Ingestion.Status.FILED);
        String message = forJulie(oruOneCda(new String(
                                cdaFor(doc.getMasterIdentifier()
                                        .getValue()
                                        .substring("urn:oid:1.2.250.1.999.42.1^".length())),
                                StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.UTF_8))
                .replace("LAB-20240913-2CDA", "LAB-" + marker()));
        assertThat(ingestion
                        .receive(new Inbound("hl7v2", "again", message.getBytes(StandardCharsets.UTF_8)))
                        .status())
                .isEqualTo(Ingestion.Status.DUPLICATE);

        assertThat(read(org.hl7.fhir.r4.model.Organization.class, cabinet)
                        .getMeta()
                        .getVersionId())
                .as("nothing new")
                .isEqualTo(organizationVersion);
        assertThat(read(org.hl7.fhir.r4.model.PractitionerRole.class, roleId)
                        .getMeta()
                        .getVersionId())
                .isEqualTo(roleVersion);
        assertThat(count("Organization?identifier=" + enc("urn:oid:1.2.250.1.71.4.2.2|1690000001")))
                .isEqualTo(1);
    }

    @Test
    void aMalformedCdaInAMessageIsRefusedNamingItsRow() throws Exception {
        julie();
        String message = forJulie(Hl7Fixtures.oruTwoCdas(
                        cdaFor(marker()),
                        "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=".getBytes(StandardCharsets.UTF_8))
                .replace("LAB-20240913-2CDA", "LAB-" + marker()));

        Ingestion.Outcome outcome =
                ingestion.receive(new Inbound("hl7v2", "bad-cda", message.getBytes(StandardCharsets.UTF_8)));

        assertThat(outcome.status()).isEqualTo(Ingestion.Status.FAILED);
        assertThat(outcome.reason()).startsWith("refused: OBX 2: the CDA in the message: not well-formed XML");
    }

    @Test
    void aCdaWhoseInsFailsItsKeyCheckIsQuarantinedNotMatchedByTraits() throws Exception {
        patientWithIns("MARTIN", "CLAIRE ANNE", "1982-06-15", "F", CLAIRE_INS);
        byte[] wrongKey = new String(fixture("cda/consultation_structured.xml"), StandardCharsets.UTF_8)
                .replace("CR-2023-0415-001", marker())
                .getBytes(StandardCharsets.UTF_8);

        Ingestion.Outcome outcome = ingestion.receive(new Inbound("cda", "wrong-key.xml", wrongKey));

        assertThat(outcome.status()).isEqualTo(Ingestion.Status.QUARANTINED);
        assertThat(outcome.reason())
                .isEqualTo("identity-vigilance: the INS given (NIR_TEST) fails its key check;"
                        + " not matched by traits: to check by an identity officer before filing");
        assertThat(outcome.reason()).doesNotContain("282067512345645");
    }

    @Test
    void aLevelOneCdaGetsTheTextOfItsPdfAndAScanIsFlagged() throws Exception {
        String patient = patientWithIns("BERNARD", "PAUL", "1975-03-02", "M", "175037512345646");
        String marker = marker();
        Ingestion.Outcome withText = ingestion.receive(
                new Inbound("cda", "niveau1.xml", levelOne(Pdfs.text("Glycémie à jeun " + marker), marker)));
        assertThat(withText.status()).as(String.valueOf(withText.reason())).isEqualTo(Ingestion.Status.FILED);
        DocumentReference doc = read(
                DocumentReference.class,
                "DocumentReference/" + withText.resources().get(0));
        assertThat(doc.getContent())
                .extracting(c -> c.getAttachment().getContentType())
                .containsExactly("text/xml", "text/plain; charset=utf-8");
        assertThat(get("/" + doc.getContent().get(1).getAttachment().getUrl()).body())
                .contains("Glycémie à jeun " + marker);

        Ingestion.Outcome scan =
                ingestion.receive(new Inbound("cda", "niveau1-scan.xml", levelOne(Pdfs.imageOnly(), marker())));
        DocumentReference scanned = read(
                DocumentReference.class, "DocumentReference/" + scan.resources().get(0));
        assertThat(scanned.getMeta().getTag(DocumentIntake.DOCUMENT_FLAGS, "sans-texte"))
                .isNotNull();
        assertThat(scanned.getSubject().getReference()).isEqualTo("Patient/" + patient);
    }

    // ---------------------------------------------------------------------------------------------------------

    private byte[] levelOne(byte[] pdf, String marker) throws Exception {
        String xml = new String(fixture("cda/biology_report_embedded_pdf.xml"), StandardCharsets.UTF_8)
                .replace("175037512345612", "175037512345646")
                .replace("1.2.250.1.999.7.2023.1.10.1", "1.2.250.1.999.7." + Math.abs(marker.hashCode()));
        int start = xml.indexOf("representation=\"B64\">") + "representation=\"B64\">".length();
        int end = xml.indexOf("</text>", start);
        return (xml.substring(0, start) + java.util.Base64.getMimeEncoder().encodeToString(pdf) + xml.substring(end))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Version 1 is superseded by version 2, which names it; one of each. */
    private void assertSuperseded(String patient, String marker) {
        DocumentReference first = only(
                DocumentReference.class,
                "DocumentReference?patient=" + patient + "&identifier="
                        + enc("urn:oid:1.2.250.1.999.42.1^" + marker + "-1"));
        DocumentReference second = only(
                DocumentReference.class,
                "DocumentReference?patient=" + patient + "&identifier="
                        + enc("urn:oid:1.2.250.1.999.42.1^" + marker + "-2"));
        assertThat(first.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus.SUPERSEDED);
        assertThat(second.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus.CURRENT);
        assertThat(second.getRelatesToFirstRep().getTarget().getReference())
                .isEqualTo("DocumentReference/" + first.getIdPart());
    }

    /** A CDA fixture re-identified for Julie, its ids {@code CR-2023-0415-00n} made {@code <marker>-n}. */
    private static byte[] julieCda(String fixture, String marker) throws Exception {
        return new String(fixture(fixture), StandardCharsets.UTF_8)
                .replace("282067512345645", JULIE_INS)
                .replace("MARTIN", "LEGRAND")
                .replace("CLAIRE ANNE", "JULIE")
                .replace("<given qualifier=\"BR\">CLAIRE", "<given qualifier=\"BR\">JULIE")
                .replace("19820615", "19850712")
                .replace("CR-2023-0415-00", marker + "-")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitMoved(Path file, Path to) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        while (Files.exists(file) && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        assertThat(to.resolve(file.getFileName())).exists();
        assertThat(file).doesNotExist();
    }

    /** An ORU for Julie deleting the CDA {@link #cdaFor} the marker (OBX-11 "D"). */
    private static String deletionOf(String marker) throws Exception {
        String message = forJulie(oruOneCda(cdaFor(marker)).replace("LAB-20240913-2CDA", "LAB-" + marker));
        assertThat(message).contains("||||||F");
        return message.replace("||||||F", "||||||D");
    }

    /** The two-CDA ORU of the fixtures with its second ED row left out. */
    private static String oruOneCda(byte[] cda) {
        String message = Hl7Fixtures.oruTwoCdas(cda, new byte[0]);
        int second = message.indexOf("\rOBX|2|ED|");
        assertThat(second).isPositive();
        int end = message.indexOf('\r', second + 1);
        return message.substring(0, second) + (end < 0 ? "" : message.substring(end));
    }

    /** Claire's CDA re-identified for Julie (INS, traits) under a unique id of its own. */
    private static byte[] cdaFor(String marker) throws Exception {
        return new String(fixture("cda/consultation_structured.xml"), StandardCharsets.UTF_8)
                .replace("282067512345645", JULIE_INS)
                .replace("MARTIN", "LEGRAND")
                .replace("CLAIRE ANNE", "JULIE")
                .replace("<given qualifier=\"BR\">CLAIRE", "<given qualifier=\"BR\">JULIE")
                .replace("19820615", "19850712")
                .replace("CR-2023-0415-001", marker)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String uniqueIdOf(String marker) {
        return "urn:oid:1.2.250.1.999.42.1^" + marker;
    }

    /** The directory's Practitioner with that IdNat_PS, created when absent. */
    private String practitioner(String idNat, String family, String given) {
        Bundle found = client.search()
                .byUrl("Practitioner?identifier=" + enc("urn:oid:1.2.250.1.71.4.2.1|" + idNat))
                .returnBundle(Bundle.class)
                .execute();
        if (!found.getEntry().isEmpty()) {
            return found.getEntryFirstRep().getResource().getIdElement().getIdPart();
        }
        org.hl7.fhir.r4.model.Practitioner practitioner = new org.hl7.fhir.r4.model.Practitioner();
        practitioner.addIdentifier().setSystem("urn:oid:1.2.250.1.71.4.2.1").setValue(idNat);
        practitioner.addName().setFamily(family).addGiven(given);
        return client.create().resource(practitioner).execute().getId().getIdPart();
    }

    private String julie() {
        return patientWithIns("LEGRAND", "JULIE", "1985-07-12", "F", JULIE_INS);
    }

    /** A message of the fixtures about Julie instead of Marie. */
    private static String forJulie(String message) {
        return message.replace("258036912345621", JULIE_INS)
                .replace("MARTIN^MARIE^MARIE CLAIRE", "LEGRAND^JULIE^JULIE")
                .replace("19580314", "19850712");
    }

    private String patientWithIns(String family, String given, String birthDate, String sex, String ins) {
        Bundle found = client.search()
                .byUrl("Patient?identifier=" + enc("urn:oid:1.2.250.1.213.1.4.10|" + ins))
                .returnBundle(Bundle.class)
                .execute();
        if (!found.getEntry().isEmpty()) {
            return found.getEntryFirstRep().getResource().getIdElement().getIdPart();
        }
        return client.create()
                .resource(InsPatients.qualified(ins, family, given, sex, birthDate, ins.substring(5, 10)))
                .execute()
                .getId()
                .getIdPart();
    }

    private <T extends org.hl7.fhir.r4.model.Resource> T only(Class<T> type, String query) {
        List<Bundle.BundleEntryComponent> entries = client.search()
                .byUrl(query)
                .returnBundle(Bundle.class)
                .execute()
                .getEntry();
        assertThat(entries).as(query).hasSize(1);
        return type.cast(entries.get(0).getResource());
    }

    private <T extends org.hl7.fhir.r4.model.Resource> T read(Class<T> type, String reference) {
        return client.read()
                .resource(type)
                .withId(reference.substring(reference.indexOf('/') + 1))
                .execute();
    }

    private int count(String query) {
        return client.search()
                .byUrl(query + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
    }

    private static String marker() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static byte[] fixture(String name) throws Exception {
        try (InputStream in = ConnectorsRealWorldIT.class.getResourceAsStream("/ingestion/" + name)) {
            return in.readAllBytes();
        }
    }
}
