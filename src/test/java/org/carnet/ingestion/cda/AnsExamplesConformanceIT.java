package org.carnet.ingestion.cda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.carnet.CarnetIT;
import org.carnet.identity.InsPatients;
import org.carnet.ingestion.Inbound;
import org.carnet.ingestion.Ingestion;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Conformance with the ANS examples in {@code ../shared/data}: every one of the 94 CI-SIS CDA documents goes through
 * the CDA connector and is filed with its header's metadata, or reported with a precise reason (duplicate, quarantine,
 * refusal); none breaks the connector. The French HL7 v2 ORU transmissions (initial, replacement, deletion) go through
 * the HL7 v2 connector. Skipped with a printed reason where the examples are absent (a user's clone).
 */
class AnsExamplesConformanceIT extends CarnetIT {

    static final Path CDA = Path.of("../shared/data/ans-cda-examples");
    static final Path ORU = Path.of("../shared/data/ans-hl7v2-examples/Vague 2/Trans_Doc-CDA-HL7V2/"
            + "TRANSMISSION_DOCS_CDA_EN_HL7V2_V2.1/ORU");

    @Autowired
    Ingestion ingestion;

    @Test
    void everyCisisExampleIsFiledWithItsHeaderOrReportedWithAPreciseReason() throws Exception {
        skipWithoutExamples(CDA);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CDA)) {
            files = walk.filter(f -> f.toString().toLowerCase().endsWith(".xml"))
                    .sorted()
                    .toList();
        }
        Map<String, List<String>> byStatus = new TreeMap<>();
        int checked = 0;
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            CdaDocument cda = null;
            try {
                cda = CdaReader.read(new ByteArrayInputStream(bytes));
                ensurePatient(cda);
            } catch (CdaException e) {
                // the connector must refuse it with the same reason
            }
            Ingestion.Outcome outcome =
                    ingestion.receive(new Inbound("cda", file.getFileName().toString(), bytes));
            byStatus.computeIfAbsent(outcome.status().name(), k -> new ArrayList<>())
                    .add(file.getFileName() + (outcome.reason() == null ? "" : " (" + outcome.reason() + ")"));
            switch (outcome.status()) {
                case FILED -> {
                    DocumentReference doc = client.read()
                            .resource(DocumentReference.class)
                            .withId(outcome.resources().get(0))
                            .execute();
                    assertThat(doc.getMasterIdentifier().getValue()).isEqualTo(CdaDocuments.uniqueId(cda.uniqueId()));
                    assertThat(doc.getType().getCodingFirstRep().getCode())
                            .isEqualTo(cda.type().code());
                    assertThat(doc.getDate().toInstant()).isEqualTo(cda.created());
                    assertThat(doc.getSubject().getReference()).isEqualTo("Patient/" + outcome.patientId());
                    assertThat(doc.getContentFirstRep().getAttachment().getSize())
                            .isEqualTo(bytes.length);
                    checked++;
                }
                case DUPLICATE -> assertThat(outcome.resources()).isNotEmpty();
                default -> assertThat(outcome.reason()).as(file.toString()).isNotBlank();
            }
        }
        System.out.println("ANS CDA examples through the CDA connector: " + files.size() + " files");
        byStatus.forEach((status, names) -> {
            System.out.println("  " + status + ": " + names.size());
            if (!status.equals("FILED")) {
                names.forEach(name -> System.out.println("    " + name));
            }
        });
        assertThat(files).hasSize(94);
        assertThat(checked).as("filed with their metadata").isGreaterThan(60);
        assertThat(byStatus.getOrDefault("FAILED", List.of())).as("refused").isEmpty();
    }

    @Test
    void theFrenchOruTransmissionsAreFiledAndTheirVisibilityFlagsBecomeLabels() throws Exception {
        skipWithoutExamples(ORU);
        String patient = patientTrois();
        Path initial = only(ORU.resolve("Transmission initiale ORU"));
        Ingestion.Outcome first = ingestion.receive(new Inbound("hl7v2", "init", Files.readAllBytes(initial)));
        assertThat(first.status()).as(String.valueOf(first.reason())).isEqualTo(Ingestion.Status.FILED);
        assertThat(first.patientId()).isEqualTo(patient);
        DocumentReference doc = (DocumentReference) client.search()
                .byUrl("DocumentReference?patient=" + patient + "&identifier="
                        + java.net.URLEncoder.encode("urn:oid:1.2.250.1.213.1.1.9", StandardCharsets.UTF_8))
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource();
        assertThat(doc).isNotNull();
        assertThat(doc.getContentFirstRep().getAttachment().getContentType()).isEqualTo("text/xml");

        // The examples' replacement and deletion name document 1.2.250.1.213.1.1.12, which the initial message never
        // sent (its CDA is 1.2.250.1.213.1.1.9). The replacement is filed as current, naming what it replaces by
        // unique id only; the deletion has nothing to delete and is refused with that reason; the initial document
        // is left as it was.
        Ingestion.Outcome replacement = ingestion.receive(
                new Inbound("hl7v2", "Remplacement ORU", Files.readAllBytes(only(ORU.resolve("Remplacement ORU")))));
        assertThat(replacement.status())
                .as(String.valueOf(replacement.reason()))
                .isEqualTo(Ingestion.Status.FILED);
        DocumentReference v2 = client.read()
                .resource(DocumentReference.class)
                .withId(replacement.resources().get(0))
                .execute();
        assertThat(v2.getRelatesToFirstRep().getTarget().getIdentifier().getValue())
                .isEqualTo("urn:oid:1.2.250.1.213.1.1.12");
        Ingestion.Outcome deletion = ingestion.receive(
                new Inbound("hl7v2", "Suppression ORU", Files.readAllBytes(only(ORU.resolve("Suppression ORU")))));
        assertThat(deletion.status()).isEqualTo(Ingestion.Status.FAILED);
        assertThat(deletion.reason())
                .isEqualTo("refused: the message deletes urn:oid:1.2.250.1.213.1.1.12, which is not filed");
        assertThat(client.read()
                        .resource(DocumentReference.class)
                        .withId(doc.getIdElement().getIdPart())
                        .execute()
                        .getStatus())
                .isEqualTo(Enumerations.DocumentReferenceStatus.CURRENT);
    }

    /** The example patient PAT-TROIS, qualified under the test INS the ANS examples use. */
    private String patientTrois() {
        Bundle found = client.search()
                .byUrl("Patient?identifier="
                        + java.net.URLEncoder.encode(
                                "urn:oid:1.2.250.1.213.1.4.10|279035121518989", StandardCharsets.UTF_8))
                .returnBundle(Bundle.class)
                .execute();
        if (!found.getEntry().isEmpty()) {
            return found.getEntryFirstRep().getResource().getIdElement().getIdPart();
        }
        return client.create()
                .resource(
                        InsPatients.qualified("279035121518989", "PAT-TROIS", "DOMINIQUE", "F", "1979-03-28", "63220"))
                .execute()
                .getId()
                .getIdPart();
    }

    /** A record for the example's patient unless one matches already: by INS for PAT-TROIS, else by traits. */
    private void ensurePatient(CdaDocument cda) {
        if (cda.patientIds().stream().anyMatch(id -> "279035121518989".equals(id.extension()))) {
            patientTrois();
            return;
        }
        if (cda.birthFamily() == null || cda.givens().isEmpty() || cda.birthDate() == null || cda.sex() == null) {
            return;
        }
        Bundle found = client.search()
                .byUrl("Patient?family=" + java.net.URLEncoder.encode(cda.birthFamily(), StandardCharsets.UTF_8)
                        + "&birthdate=" + cda.birthDate())
                .returnBundle(Bundle.class)
                .execute();
        if (found.getEntry().isEmpty()) {
            client.create()
                    .resource(InsPatients.provisional(
                            cda.birthFamily(),
                            cda.givens().get(0),
                            "M".equals(cda.sex()) ? "M" : "F",
                            cda.birthDate().toString(),
                            null))
                    .execute();
        }
    }

    private static Path only(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".hl7")).findFirst().orElseThrow();
        }
    }

    private static void skipWithoutExamples(Path dir) {
        if (!Files.isDirectory(dir)) {
            System.out.println(
                    "AnsExamplesConformanceIT skipped: " + dir.toAbsolutePath().normalize() + " is absent");
        }
        assumeTrue(Files.isDirectory(dir), "the ANS examples are absent");
    }
}
