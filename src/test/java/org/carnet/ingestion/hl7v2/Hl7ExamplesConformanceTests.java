package org.carnet.ingestion.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.carnet.ingestion.cda.Coding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reads the ANS HL7 v2 examples (shared/data/ans-hl7v2-examples, next to the project): every ORU and MDM message
 * is read without error, with the action its folder names, and the initial, replacement and deletion variants
 * give the document, flags, INS and ids they carry. Skipped when the examples are not there.
 */
class Hl7ExamplesConformanceTests {

    private static final Path EXAMPLES = Path.of("../shared/data/ans-hl7v2-examples");
    private static final String ORU_V2_1 = "Vague 2/Trans_Doc-CDA-HL7V2/TRANSMISSION_DOCS_CDA_EN_HL7V2_V2.1/ORU/";
    private static final String MDM_V2_1 = "Vague 2/Trans_Doc-CDA-HL7V2/TRANSMISSION_DOCS_CDA_EN_HL7V2_V2.1/MDM/";
    private static final Map<String, String> SUMMARY = new TreeMap<>();

    @BeforeAll
    static void examplesAreThere() {
        boolean present = Files.isDirectory(EXAMPLES);
        if (!present) {
            System.out.println("Hl7ExamplesConformanceTests skipped: no ANS examples at " + EXAMPLES.toAbsolutePath());
        }
        assumeTrue(present, "no ANS HL7 v2 examples at " + EXAMPLES.toAbsolutePath());
    }

    @AfterAll
    static void printSummary() {
        if (!SUMMARY.isEmpty()) {
            System.out.println("ANS HL7 v2 examples read: " + SUMMARY.size());
            SUMMARY.forEach((file, line) -> System.out.println("  " + file + " -> " + line));
        }
    }

    @Test
    void everyOruAndMdmExampleIsReadWithTheActionItsFolderNames() throws Exception {
        List<Path> messages = oruAndMdmMessages();
        assertThat(messages).hasSizeGreaterThanOrEqualTo(20);

        for (Path file : messages) {
            String name = EXAMPLES.relativize(file).toString();
            LabMessage message;
            try {
                message = Hl7Reader.read(Files.readString(file, StandardCharsets.UTF_8));
            } catch (Hl7Exception e) {
                throw new AssertionError(name + ": " + e.getMessage(), e);
            }
            SUMMARY.put(name, summary(message));
            assertThat(message.action()).as(name).isEqualTo(expectedAction(name));
            assertThat(message.patientIds()).as(name).first().satisfies(ins -> {
                assertThat(ins.typeCode()).isEqualTo("INS");
                assertThat(ins.authorityOid()).isIn("1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.10");
            });
            assertThat(message.document()).as(name).isNotNull();
            assertThat(message.results())
                    .as(name + ": only a document and DMP metadata")
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "Transmission initiale ORU/message_ORU_CR_Bio_INIT_N3_SEGUR.hl7; INITIAL; 1.2.250.1.213.1.1.9; ",
                "Remplacement ORU/message_ORU_CR_Bio_RPLC_N3_SEGUR.hl7; REPLACE; 1.2.250.1.213.1.1.13; 1.2.250.1.213.1.1.12",
                "Suppression ORU/message_ORU_CR_Bio_DEL_N3_SEGUR.hl7; DELETE; 1.2.250.1.213.1.1.12; "
            })
    void theSegurOruVariantsCarryTheirCdaFlagsInsAndIds(
            String file, Action action, String documentId, String replacedId) throws Exception {
        LabMessage message = read(ORU_V2_1 + file);

        assertThat(message.messageType()).isEqualTo("ORU^R01");
        assertThat(message.controlId()).isEqualTo("015");
        assertThat(message.sendingApplication()).isEqualTo("SIL-Y");
        assertThat(message.action()).isEqualTo(action);
        assertThat(message.flags())
                .as("MASQUE_PS, INVISIBLE_PATIENT and INVISIBLE_REP_LEGAUX are N")
                .isEmpty();
        assertThat(message.patientIds())
                .containsExactly(new PatientId("279035121518989", "1.2.250.1.213.1.4.10", "INS"));
        assertThat(message.birthFamily()).isEqualTo("PAT-TROIS");
        assertThat(message.givens()).containsExactly("DOMINIQUE");
        assertThat(message.documentMediaType()).isEqualTo("text/xml");
        assertThat(new String(message.document(), StandardCharsets.UTF_8))
                .startsWith("<?xml")
                .contains("<ClinicalDocument");
        assertThat(message.documentId()).isEqualTo(documentId);
        assertThat(message.replacedDocumentId()).isEqualTo(replacedId);
        assertThat(message.reportCode()).isEqualTo(new Coding("LN", "11502-2", "CR d'examens biologiques"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "Transmission initiale MDM/message_MDM_CR_Radio_INIT_N1_Base64.er7; MDM^T02; INITIAL; "
                        + "1.2.250.1.71.4.2.2.120456789.71024000081; ",
                "Remplacement MDM/message_MDM_CR_Radio_RPLC_N1.er7; MDM^T10; REPLACE; "
                        + "1.2.250.1.71.4.2.2.120456789.71024000082; 1.2.250.1.71.4.2.2.120456789.71024000081",
                "Suppression MDM/message_MDM_CR_Radio_DEL_N1.er7; MDM^T04; DELETE; "
                        + "1.2.250.1.71.4.2.2.120456789.71024000082; "
            })
    void theSegurMdmVariantsTakeTheirIdsFromTxa(
            String file, String type, Action action, String documentId, String replacedId) throws Exception {
        LabMessage message = read(MDM_V2_1 + file);

        assertThat(message.messageType()).isEqualTo(type);
        assertThat(message.action()).isEqualTo(action);
        assertThat(message.documentId()).isEqualTo(documentId);
        assertThat(message.replacedDocumentId()).isEqualTo(replacedId);
        assertThat(new String(message.document(), StandardCharsets.UTF_8)).startsWith("<ClinicalDocument");
    }

    @Test
    void theInitialMdmIsHiddenFromThePatientAndLegalRepresentatives() throws Exception {
        LabMessage message = read(MDM_V2_1 + "Transmission initiale MDM/message_MDM_CR_Radio_INIT_N1_Base64.er7");

        assertThat(message.flags()).containsExactlyInAnyOrder("INVISIBLE_PATIENT", "INVISIBLE_REPRESENTANTS_LEGAUX");
    }

    private static LabMessage read(String file) throws Exception {
        return Hl7Reader.read(Files.readString(EXAMPLES.resolve(file), StandardCharsets.UTF_8));
    }

    private static List<Path> oruAndMdmMessages() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".hl7") || f.toString().endsWith(".er7"))
                    .filter(f ->
                            Set.of("ORU", "MDM").contains(MshHeader.of(text(f)).get(9, 1)))
                    .sorted()
                    .toList();
        }
    }

    private static Action expectedAction(String path) {
        if (path.contains("Remplacement")) {
            return Action.REPLACE;
        }
        return path.contains("Suppression") ? Action.DELETE : Action.INITIAL;
    }

    private static String summary(LabMessage message) {
        return "%s %s doc=%s replaces=%s flags=%s document=%d bytes %s"
                .formatted(
                        message.messageType(),
                        message.action(),
                        message.documentId(),
                        message.replacedDocumentId(),
                        message.flags(),
                        message.document() == null ? 0 : message.document().length,
                        message.documentMediaType());
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
