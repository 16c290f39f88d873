package org.carnet.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.carnet.CarnetIT;
import org.carnet.identity.InsPatients;
import org.carnet.ingestion.hl7v2.MllpSender;
import org.carnet.ingestion.pdf.Pdfs;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Each connector on realistic items (valid, re-sent, duplicate document, malformed, unknown patient, ambiguous
 * patient), through the one ingestion service: the ledger, the quarantine and dead-letter lists, replay, the MLLP
 * listener over real TCP, the drop directory, the bulk import of a directory and of a zip archive, and the
 * operators' endpoint.
 */
class IngestionIT extends CarnetIT {

    @Autowired
    Ingestion ingestion;

    @Autowired
    BulkImport bulk;

    @TempDir
    Path temp;

    /** The fixture's INS with its key corrected (the fixture's own key is wrong, which the identity rules refuse). */
    static final String CLAIRE_INS = "282067512345689";

    static final String MARIE_INS = "258036912345621";

    // ---- CDA -------------------------------------------------------------------------------------------------

    @Test
    void aCdaIsFiledOnceUnderThePatientItsInsNamesWithItsHeaderMetadata() throws Exception {
        String patient = patientWithIns("MARTIN", "CLAIRE ANNE", "1982-06-15", "F", CLAIRE_INS);
        byte[] cda = claireCda();
        Ingestion.Outcome first = ingestion.receive(new Inbound("cda", "consultation.xml", cda));
        assertThat(first.status()).as(String.valueOf(first.reason())).isEqualTo(Ingestion.Status.FILED);
        assertThat(first.patientId()).isEqualTo(patient);

        DocumentReference doc = client.read()
                .resource(DocumentReference.class)
                .withId(first.resources().get(0))
                .execute();
        assertThat(doc.getMasterIdentifier().getValue()).isEqualTo("urn:oid:1.2.250.1.999.42.1^CR-2023-0415-001");
        assertThat(doc.getSubject().getReference()).isEqualTo("Patient/" + patient);
        assertThat(doc.getType().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(doc.getContent())
                .extracting(c -> c.getAttachment().getContentType())
                .containsExactly("text/xml", "text/plain; charset=utf-8");
        String cdaBack =
                get("/" + doc.getContentFirstRep().getAttachment().getUrl()).body();
        assertThat(cdaBack.getBytes(StandardCharsets.UTF_8)).isEqualTo(cda);

        assertThat(ingestion.receive(new Inbound("cda", "again.xml", cda)).status())
                .isEqualTo(Ingestion.Status.ALREADY_RECEIVED);
        byte[] reformatted =
                (new String(cda, StandardCharsets.UTF_8) + "\n<!-- re-sent -->\n").getBytes(StandardCharsets.UTF_8);
        Ingestion.Outcome other = ingestion.receive(new Inbound("cda", "reformatted.xml", reformatted));
        assertThat(other.status())
                .as("same unique id, other bytes: a collision, not a duplicate")
                .isEqualTo(Ingestion.Status.FAILED);
        assertThat(other.reason()).contains("is filed already for another document: nothing was filed");
        assertThat(count("DocumentReference?identifier=" + enc("urn:oid:1.2.250.1.999.42.1^CR-2023-0415-001")))
                .isEqualTo(1);
    }

    @Test
    void aMalformedCdaGoesToTheDeadLetterListWithItsReasonAndAnUnknownPatientToQuarantineUntilReplayed()
            throws Exception {
        Ingestion.Outcome broken = ingestion.receive(new Inbound(
                "cda",
                "broken.xml",
                "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=".getBytes(StandardCharsets.UTF_8)));
        assertThat(broken.status()).isEqualTo(Ingestion.Status.FAILED);
        assertThat(broken.reason()).startsWith("refused: not well-formed XML");

        String marker = unique();
        byte[] cda = new String(claireCda(), StandardCharsets.UTF_8)
                .replace(CLAIRE_INS, "299999999999945")
                .replace("CR-2023-0415-001", marker)
                .replace(
                        "MARTIN",
                        "INCONNUE"
                                + marker.substring(0, 4)
                                        .replaceAll("[0-9]", "X")
                                        .toUpperCase())
                .getBytes(StandardCharsets.UTF_8);
        Ingestion.Outcome unknown = ingestion.receive(new Inbound("cda", "unknown.xml", cda));
        assertThat(unknown.status()).isEqualTo(Ingestion.Status.QUARANTINED);
        assertThat(unknown.reason()).isEqualTo("no record matches the INS or the traits given");
        assertThat(ingestion.parked(1000))
                .extracting(Ingestion.Parked::fingerprint)
                .contains(unknown.fingerprint());

        // The patient is created (a new birth name: matched by traits), then the item is replayed from its payload.
        Patient patient = new Patient();
        patient.addName()
                .setFamily("INCONNUE"
                        + marker.substring(0, 4).replaceAll("[0-9]", "X").toUpperCase())
                .addGiven("CLAIRE");
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1982-06-15"));
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        client.create().resource(patient).execute();
        Ingestion.Outcome replayed = ingestion.replay(unknown.fingerprint());
        assertThat(replayed.status()).isEqualTo(Ingestion.Status.FILED);
        assertThat(ingestion.parked(1000))
                .extracting(Ingestion.Parked::fingerprint)
                .doesNotContain(unknown.fingerprint());
    }

    @Test
    void twoRecordsWithTheSameTraitsAndNoInsAreAmbiguous() throws Exception {
        String family =
                "HOMONYME" + unique().substring(0, 6).replaceAll("[0-9]", "Q").toUpperCase();
        for (int i = 0; i < 2; i++) {
            Patient patient = new Patient();
            patient.addName().setFamily(family).addGiven("CLAIRE");
            patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1982-06-15"));
            patient.setGender(Enumerations.AdministrativeGender.FEMALE);
            client.create().resource(patient).execute();
        }
        byte[] cda = new String(claireCda(), StandardCharsets.UTF_8)
                .replace(CLAIRE_INS, "299999999999945")
                .replace("CR-2023-0415-001", unique())
                .replace("MARTIN", family)
                .getBytes(StandardCharsets.UTF_8);
        Ingestion.Outcome outcome = ingestion.receive(new Inbound("cda", "ambiguous.xml", cda));
        assertThat(outcome.status()).isEqualTo(Ingestion.Status.QUARANTINED);
        assertThat(outcome.reason()).isEqualTo("ambiguous: 2 records match the traits given");
    }

    // ---- HL7 v2 over MLLP ------------------------------------------------------------------------------------

    @Test
    void hl7MessagesOverMllpAreFiledAndAcknowledged() throws Exception {
        String patient = marie();
        String withCda = text("hl7v2/oru_cda_masque_ps.hl7");
        String ack = exchange(withCda);
        assertThat(ack).contains("MSA|AA|LAB-20240711-7");
        assertThat(exchange(withCda))
                .as("re-sent")
                .contains("MSA|AA|LAB-20240711-7")
                .contains("already filed");

        Bundle docs = client.search()
                .byUrl("DocumentReference?patient=" + patient + "&_security=MASQUE_PS")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(docs.getEntry()).hasSize(1);
        assertThat(getAs(
                                "dr-lambert",
                                "/DocumentReference/"
                                        + docs.getEntryFirstRep()
                                                .getResource()
                                                .getIdElement()
                                                .getIdPart())
                        .statusCode())
                .as("masked: hidden from a professional")
                .isEqualTo(404);

        String numeric = text("hl7v2/oru_numeric_results.hl7");
        assertThat(exchange(numeric)).contains("MSA|AA|MSG-0001");
        Bundle reports = client.search()
                .byUrl("DiagnosticReport?patient=" + patient + "&_include=DiagnosticReport:result")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(reports.getEntry())
                .filteredOn(e -> e.getResource() instanceof DiagnosticReport)
                .hasSize(1);
        assertThat(reports.getEntry())
                .filteredOn(e -> e.getResource() instanceof Observation)
                .isNotEmpty();
        assertThat(count("DocumentReference?patient=" + patient + "&identifier="
                        + enc("urn:carnet:hl7v2:CARNET-SYNTH:MSG-0001")))
                .as("the rendered report")
                .isEqualTo(1);

        assertThat(exchange("MSH|^~\\&|X|Y|CARNET|CARNET|20240101||ADT^A01|C-1|P|2.5\rPID|||1^^^X\r"))
                .contains("MSA|AR|C-1");
        String stranger = numeric.replace(MARIE_INS, "199999999999999")
                .replace("MSG-0001", "MSG-9999")
                .replace("MARTIN^MARIE", "INCONNU^PAUL")
                .replace("DURAND^MARIE", "INCONNU^PAUL");
        assertThat(exchange(stranger)).contains("MSA|AE|MSG-9999").contains("quarantine");
    }

    @Test
    void anHl7ReplacementSupersedesTheDocument() throws Exception {
        String patient = marie();
        exchange(text("hl7v2/oru_cda_masque_ps.hl7"));
        DocumentReference first = theCdaOf(patient);

        String replace = text("hl7v2/mdm_t10_replace.hl7");
        String ack = exchange(replace);
        assertThat(ack).as(ack).contains("MSA|AA");
        DocumentReference replaced = client.read()
                .resource(DocumentReference.class)
                .withId(first.getIdElement().getIdPart())
                .execute();
        assertThat(replaced.getStatus())
                .as("Marie's document " + first.getMasterIdentifier().getValue() + " after " + ack)
                .isEqualTo(Enumerations.DocumentReferenceStatus.SUPERSEDED);
    }

    /** The laboratory report that {@code oru_cda_masque_ps.hl7} files in a record (type 11502-2, masked). */
    private DocumentReference theCdaOf(String patient) {
        Bundle found = client.search()
                .byUrl("DocumentReference?patient=" + patient + "&_security=MASQUE_PS&type=11502-2")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry())
                .map(e -> ((DocumentReference) e.getResource())
                                .getMasterIdentifier()
                                .getValue() + " "
                        + ((DocumentReference) e.getResource()).getStatus() + " "
                        + ((DocumentReference) e.getResource())
                                .getMeta().getSecurity().stream()
                                        .map(c -> c.getCode())
                                        .toList())
                .as("the masked laboratory report of Patient/" + patient)
                .hasSize(1);
        return (DocumentReference) found.getEntryFirstRep().getResource();
    }

    // ---- insurer CSV, PDF, FHIR --------------------------------------------------------------------------------

    @Test
    void anInsurerFileFilesEachLineOnItsOwn() throws Exception {
        String nir = "258037505612368";
        String patient = patientWithIns("BERNARD", "LUCIE", "1958-03-01", "F", nir);
        Path file = temp.resolve("remboursements.csv");
        Files.writeString(
                file,
                "nir;date_soins;code_acte;libelle;montant;montant_rembourse;idnat_ps\r\n"
                        + nir + ";2024-03-02;G;Consultation;30,00;21,00;810001234567\r\n"
                        + nir + ";2024-03-0X;B;Bilan;12,50;8,75;\r\n"
                        + nir + ";2024-03-09;B;Bilan;12,50;8,75;\r\n");
        BulkImport.Report report = bulk.run(file, new PrintStream(new ByteArrayOutputStream()), false);
        assertThat(report.items()).isEqualTo(3);
        assertThat(report.count(Ingestion.Status.FILED)).isEqualTo(2);
        assertThat(report.count(Ingestion.Status.FAILED)).isEqualTo(1);
        assertThat(report.problems())
                .singleElement()
                .asString()
                .contains("remboursements.csv:3")
                .contains("date_soins");
        assertThat(count("ExplanationOfBenefit?patient=" + patient)).isEqualTo(2);
        BulkImport.Report again = bulk.run(file, new PrintStream(new ByteArrayOutputStream()), false);
        assertThat(again.count(Ingestion.Status.ALREADY_RECEIVED)).isEqualTo(2);
        assertThat(count("ExplanationOfBenefit?patient=" + patient)).isEqualTo(2);
    }

    @Test
    void aPdfWithItsSidecarIsFiledWithItsTextAndAScanIsFlagged() throws Exception {
        String patient = marie();
        Path dir = Files.createDirectories(temp.resolve("pdfs"));
        Files.write(dir.resolve("cr.pdf"), Pdfs.text("Compte rendu de consultation : tension normale"));
        Files.writeString(
                dir.resolve("cr.pdf.properties"),
                "ins=" + MARIE_INS + "\nins-oid=1.2.250.1.213.1.4.10\ntype=11488-4\ntitle=Compte rendu\n");
        Files.write(dir.resolve("scan.pdf"), Pdfs.imageOnly());
        Files.writeString(
                dir.resolve("scan.pdf.properties"),
                "ins=" + MARIE_INS + "\nins-oid=1.2.250.1.213.1.4.10\ntitle=Courrier numérisé\n");
        Files.write(dir.resolve("orphelin.pdf"), Pdfs.text("sans fiche"));
        BulkImport.Report report = bulk.run(dir, new PrintStream(new ByteArrayOutputStream()), false);
        assertThat(report.count(Ingestion.Status.FILED)).isEqualTo(2);
        assertThat(report.problems())
                .singleElement()
                .asString()
                .contains("orphelin.pdf")
                .contains("needs its sidecar");

        Bundle docs = client.search()
                .byUrl("DocumentReference?patient=" + patient + "&type=11488-4")
                .returnBundle(Bundle.class)
                .execute();
        DocumentReference text = (DocumentReference) docs.getEntryFirstRep().getResource();
        assertThat(get("/" + text.getContent().get(1).getAttachment().getUrl()).body())
                .contains("tension normale");
        Bundle all = client.search()
                .byUrl("DocumentReference?patient=" + patient + "&_count=100")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(all.getEntry())
                .map(e -> (DocumentReference) e.getResource())
                .filteredOn(d ->
                        d.getMeta().getTag(org.carnet.document.DocumentIntake.DOCUMENT_FLAGS, "sans-texte") != null)
                .singleElement()
                .satisfies(d -> assertThat(d.getDescription()).isEqualTo("Courrier numérisé"));
    }

    @Test
    void aFhirBundleIsAppliedOnce() throws Exception {
        String marker = unique();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient patient = patient("Fhirimport", marker);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + unique())
                .setResource(patient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        byte[] json = FHIR.newJsonParser().encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8);
        assertThat(ingestion.receive(new Inbound("fhir", "export.json", json)).status())
                .isEqualTo(Ingestion.Status.FILED);
        assertThat(ingestion.receive(new Inbound("fhir", "export.json", json)).status())
                .isEqualTo(Ingestion.Status.ALREADY_RECEIVED);
        assertThat(count("Patient?identifier=urn:carnet:test%7C" + marker)).isEqualTo(1);
        assertThat(ingestion
                        .receive(new Inbound(
                                "fhir",
                                "bad.json",
                                "{\"resourceType\":\"Bundle\",\"type\":\"batch\"}".getBytes(StandardCharsets.UTF_8)))
                        .reason())
                .isEqualTo("refused: a FHIR item is a transaction Bundle, not BATCH");
    }

    // ---- bulk import, drop directory, operators --------------------------------------------------------------

    @Test
    void aZipArchiveOfMixedFilesIsImportedWithProgressAndARerunFilesNothingTwice() throws Exception {
        marie();
        Path zip = temp.resolve("lot.zip");
        String marker = unique();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + unique())
                .setResource(patient("Archive", marker))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            entry(
                    out,
                    "lot/patient.json",
                    FHIR.newJsonParser().encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8));
            entry(
                    out,
                    "lot/labo.hl7",
                    text("hl7v2/oru_numeric_results.hl7")
                            .replace("MSG-0001", marker)
                            .getBytes(StandardCharsets.UTF_8));
            entry(out, "lot/cr.pdf", Pdfs.text("Compte rendu " + marker));
            entry(
                    out,
                    "lot/cr.pdf.properties",
                    ("ins=" + MARIE_INS + "\nins-oid=1.2.250.1.213.1.4.10\ntitle=CR\n")
                            .getBytes(StandardCharsets.UTF_8));
            entry(out, "lot/notes.txt", "rien".getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BulkImport.Report report = bulk.run(zip, new PrintStream(progress, true, StandardCharsets.UTF_8), false);
        assertThat(report.files()).isEqualTo(4);
        assertThat(report.count(Ingestion.Status.FILED)).isEqualTo(3);
        assertThat(report.problems()).singleElement().asString().contains("notes.txt: no connector reads this file");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("100% 4/4 files");

        BulkImport.Report rerun = bulk.run(zip, new PrintStream(new ByteArrayOutputStream()), false);
        assertThat(rerun.count(Ingestion.Status.ALREADY_RECEIVED)).isEqualTo(3);
        assertThat(rerun.count(Ingestion.Status.FILED)).isZero();
    }

    @Test
    void aFileDroppedInTheDropDirectoryIsFiledAndMovedToDone() throws Exception {
        marie();
        Path drop = dropDirectory();
        String marker = unique();
        Path file = drop.resolve("labo-" + marker + ".hl7");
        Files.writeString(file, text("hl7v2/oru_numeric_results.hl7").replace("MSG-0001", marker));
        Files.setLastModifiedTime(
                file, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(10)));
        Path done = drop.resolve("done").resolve(file.getFileName());
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        while (!Files.exists(done) && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        assertThat(done).exists();
        assertThat(file).doesNotExist();
    }

    @Test
    void operatorsSeeConnectorHealthAndTheWaitingItemsAndCanReplayOne() throws Exception {
        Ingestion.Outcome failed = ingestion.receive(new Inbound(
                "hl7v2",
                "test",
                ("MSH|^~\\&|X|Y|C|C|20240101||ORU^R01|" + unique().substring(0, 8) + "|P|2.5\r")
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(failed.status()).isEqualTo(Ingestion.Status.FAILED);
        var status = getAs("operateur", "http://localhost:" + port + "/actuator/ingestion");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body())
                .contains("\"connector\":\"hl7v2\"")
                .contains(failed.fingerprint())
                .contains("no patient");
        assertThat(getAs("dr-moreau", "http://localhost:" + port + "/actuator/ingestion")
                        .statusCode())
                .isEqualTo(403);
        assertThat(get("http://localhost:" + port + "/actuator/ingestion").statusCode())
                .isEqualTo(403);
        var replay = sendAs(
                "operateur",
                "POST",
                "http://localhost:" + port + "/actuator/ingestion/" + failed.fingerprint(),
                null,
                null);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("FAILED");
        var notAFingerprint =
                sendAs("operateur", "POST", "http://localhost:" + port + "/actuator/ingestion/zz", null, null);
        assertThat(notAFingerprint.statusCode()).isEqualTo(400);
        assertThat(notAFingerprint.body()).contains("64 lower-case hex digits");
        assertThat(sendAs(
                                "operateur",
                                "POST",
                                "http://localhost:" + port + "/actuator/ingestion/" + "a".repeat(64),
                                null,
                                null)
                        .statusCode())
                .isEqualTo(404);
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * The patient of the HL7 fixtures, qualified under the test OID: their messages give the production OID, so she is
     * matched by her traits.
     */
    private String marie() {
        return patientWithIns("MARTIN", "MARIE CLAIRE", "1958-03-14", "F", MARIE_INS);
    }

    /**
     * A qualified identity (INS under the test OID, as INSi gives in tests; born where the NIR says), created unless
     * it exists.
     */
    private String patientWithIns(String family, String given, String birthDate, String sex, String ins) {
        String existing = find("Patient?identifier=" + enc("urn:oid:1.2.250.1.213.1.4.10|" + ins));
        if (existing != null) {
            return existing;
        }
        return client.create()
                .resource(InsPatients.qualified(ins, family, given, sex, birthDate, ins.substring(5, 10)))
                .execute()
                .getId()
                .getIdPart();
    }

    private String find(String query) {
        Bundle found = client.search().byUrl(query).returnBundle(Bundle.class).execute();
        return found.getEntry().isEmpty()
                ? null
                : found.getEntryFirstRep().getResource().getIdElement().getIdPart();
    }

    private int count(String query) {
        return client.search()
                .byUrl(query + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
    }

    private String exchange(String message) throws Exception {
        return MllpSender.exchange(context, message);
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = IngestionIT.class.getResourceAsStream("/ingestion/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] claireCda() throws Exception {
        return new String(fixture("cda/consultation_structured.xml"), StandardCharsets.UTF_8)
                .replace("282067512345645", CLAIRE_INS)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String text(String name) throws Exception {
        return new String(fixture(name), StandardCharsets.UTF_8);
    }

    private static void entry(ZipOutputStream out, String name, byte[] content) throws Exception {
        out.putNextEntry(new ZipEntry(name));
        out.write(content);
        out.closeEntry();
    }

    private Path dropDirectory() {
        return Path.of(context.getEnvironment().getProperty("carnet.ingestion.drop-dir"));
    }

    @Autowired
    org.springframework.context.ApplicationContext context;
}
