package org.carnet.ingestion.cda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the ANS's CI-SIS CDA examples (one per content model, shared under {@code ../shared/data}): every one is
 * either read or refused with a reason, never a crash; a few are checked value by value against the files.
 */
class CdaExamplesConformanceTests {

    private static final Path EXAMPLES = Path.of("../shared/data/ans-cda-examples");
    private static final String LOINC = "2.16.840.1.113883.6.1";
    private static final String INS_NIR_TEST = "1.2.250.1.213.1.4.10";
    private static final String IDNAT_PS = "1.2.250.1.71.4.2.1";
    private static final String PROFESSIONS = "1.2.250.1.213.1.1.4.5";

    @BeforeAll
    static void examplesArePresent() {
        boolean present = Files.isDirectory(EXAMPLES);
        if (!present) {
            System.out.println("CdaExamplesConformanceTests skipped: no examples at " + EXAMPLES.toAbsolutePath());
        }
        Assumptions.assumeTrue(present, "the ANS CDA examples are not at " + EXAMPLES.toAbsolutePath());
    }

    @Test
    void everyExampleIsReadOrRefusedWithAReason() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(EXAMPLES)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".xml"))
                    .sorted()
                    .toList();
        }
        assertThat(files).isNotEmpty();
        List<String> read = new ArrayList<>();
        Map<String, List<String>> refused = new TreeMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            try {
                read(file);
                read.add(name);
            } catch (CdaException e) {
                assertThat(e.getMessage()).as(name).isNotBlank();
                refused.computeIfAbsent(e.getMessage(), reason -> new ArrayList<>())
                        .add(name);
            } catch (RuntimeException e) {
                fail(name + " threw " + e, e);
            }
        }
        int refusals = refused.values().stream().mapToInt(List::size).sum();
        System.out.println("ANS CDA examples: read " + read.size() + ", refused " + refusals
                + (refused.isEmpty() ? "" : " " + refused));
        assertThat(read.size()).as("most examples read").isGreaterThanOrEqualTo(files.size() * 9 / 10);
    }

    @Test
    void nonStructuredBiologyReportCarriesItsPdf() throws Exception {
        CdaDocument cda = read(EXAMPLES.resolve("DOC_NON_STRUCTURE_CDA-R2-N1.xml"));

        assertThat(cda.uniqueId()).isEqualTo("1.3.6.1.4.1.19376.1.2.20.12345.1.1");
        assertThat(cda.setId()).isEqualTo("1.3.6.1.4.1.19376.1.2.20.12345.1");
        assertThat(cda.patientIds()).first().isEqualTo(new Id(INS_NIR_TEST, "279035121518989"));
        assertThat(cda.type()).isEqualTo(new Coding(LOINC, "11502-2", "CR d'examens biologiques"));
        assertThat(cda.title()).isEqualTo("Compte rendu d'examens biologiques");
        assertThat(cda.created()).isEqualTo(Instant.parse("2021-04-01T12:47:45Z"));
        assertThat(cda.authors())
                .containsExactly(new Author(
                        IDNAT_PS,
                        "801234534765",
                        "CAMPARINI",
                        "Marcel",
                        new Coding(PROFESSIONS, "G15_10/SM03", "Médecin - Biologie médicale (SM)"),
                        "Laboratoire des charmes",
                        new Id("1.2.250.1.71.4.2.2", "1120459876"),
                        Instant.parse("2021-01-04T15:05:27Z")));
        assertThat(cda.legalAuthenticator())
                .isEqualTo(new Author(
                        IDNAT_PS,
                        "807505123456",
                        "Camparini",
                        "Marcel",
                        null,
                        null,
                        null,
                        Instant.parse("2020-07-01T12:47:45Z")));
        assertThat(cda.serviceStart()).isEqualTo(Instant.parse("2021-01-04T12:47:00Z"));
        assertThat(cda.serviceEnd()).isEqualTo(Instant.parse("2021-01-04T12:55:00Z"));
        assertThat(cda.eventCodes()).containsExactly(new Coding(LOINC, "18723-7", "Hématologie"));
        assertThat(cda.facilityType()).isEqualTo(new Coding("1.2.250.1.71.4.2.4", "SA07", "Cabinet individuel"));
        assertThat(cda.practiceSetting().code()).isEqualTo("AMBULATOIRE");
        assertThat(cda.narrative()).isEmpty();
        assertThat(cda.embeddedMediaType()).isEqualTo("application/pdf");
        assertThat(cda.embedded()).hasSize(326_650);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cda.embedded())))
                .isEqualTo("72cbc4c926baf2817c7f9013a5f898c2254c84db2d3fad6febf22b64abd01529");
    }

    @Test
    void dischargeLetterHeaderAndNarrative() throws Exception {
        CdaDocument cda = read(EXAMPLES.resolve("LDL-SES_2022.01.xml"));

        assertThat(cda.uniqueId()).isEqualTo("1.2.250.1.213.1.1.1.29.2022.1.1");
        assertThat(cda.setId()).isEqualTo("1.2.250.1.213.1.1.1.29.2022.1");
        assertThat(cda.version()).isEqualTo(1);
        assertThat(cda.patientIds())
                .containsExactly(
                        new Id(INS_NIR_TEST, "279035121518989"), new Id("1.2.3.4.567.8.9.10", "1234567890121"));
        assertThat(cda.birthFamily()).isEqualTo("PAT-TROIS");
        assertThat(cda.givens()).containsExactly("DOMINIQUE MARIE-LOUISE", "DOMINIQUE");
        assertThat(cda.birthDate()).isEqualTo(LocalDate.of(1979, 3, 28));
        assertThat(cda.sex()).isEqualTo("F");
        assertThat(cda.type())
                .isEqualTo(new Coding(LOINC, "11490-0", "Lettre de liaison à la sortie d'un établissement de soins"));
        assertThat(cda.title()).isEqualTo("Lettre de liaison à la sortie de l'établissement de santé");
        assertThat(cda.created()).isEqualTo(Instant.parse("2019-12-03T12:30:00Z"));
        assertThat(cda.authors())
                .containsExactly(new Author(
                        IDNAT_PS,
                        "801234567897",
                        "DAVID",
                        "Charles",
                        new Coding(PROFESSIONS, "G15_10/SM27", "Médecin - Médecine interne (SM)"),
                        "Hôpital Européen Georges Pompidou",
                        new Id("1.2.250.1.71.4.2.2", "1750803447"),
                        Instant.parse("2019-12-03T12:30:00Z")));
        assertThat(cda.legalAuthenticator())
                .as("the file's trailing space after Léon is not kept")
                .isEqualTo(new Author(
                        IDNAT_PS,
                        "801234567897",
                        "AUGUIN",
                        "Léon",
                        null,
                        "Hôpital Européen Georges Pompidou",
                        new Id("1.2.250.1.71.4.2.2", "1750803447"),
                        Instant.parse("2019-12-03T12:30:00Z")));
        assertThat(cda.serviceStart()).isEqualTo(Instant.parse("2019-10-29T10:17:00Z"));
        assertThat(cda.serviceEnd()).isEqualTo(Instant.parse("2019-12-03T12:30:00Z"));
        assertThat(cda.eventCodes()).extracting(Coding::code).containsExactly("IMP");
        assertThat(cda.facilityType().code()).isEqualTo("SA01");
        assertThat(cda.practiceSetting().code()).isEqualTo("ETABLISSEMENT");
        assertThat(cda.templateIds())
                .containsExactly("2.16.840.1.113883.2.8.2.1", "1.2.250.1.213.1.1.1.1", "1.2.250.1.213.1.1.1.29");
        assertThat(cda.replaces()).isNull();
        assertThat(cda.narrative())
                .startsWith("Statut du document\nStatut du document En cours\n")
                .contains("\nMotif de l'hospitalisation\nEpisode psychotique – cachexie/anorexie\n");
        assertThat(cda.embedded()).isNull();
    }

    @Test
    void rapidTestReportWhoseSignatureTimeHasAThreeDigitOffset() throws Exception {
        CdaDocument cda = read(EXAMPLES.resolve("BIO-TROD_2024.01_Angine.xml"));

        assertThat(cda.uniqueId()).isEqualTo("1.2.250.1.213.1.1.1.59.2024.1.1");
        assertThat(cda.patientIds()).containsExactly(new Id(INS_NIR_TEST, "279035121518989"));
        assertThat(cda.type()).isEqualTo(new Coding(LOINC, "96173-0", "Test rapide d'orientation diagnostique"));
        assertThat(cda.title()).isEqualTo("Test rapide d'orientation diagnostique : TROD Angine");
        assertThat(cda.created()).isEqualTo(Instant.parse("2024-01-06T10:36:23Z"));
        Coding pharmacist = new Coding(PROFESSIONS, "G15_21/A", "Pharmacien titulaire d'officine");
        assertThat(cda.authors())
                .containsExactly(new Author(
                        IDNAT_PS,
                        "807655473259",
                        "DIDOT",
                        "Pierre",
                        pharmacist,
                        "Pharmacie des 4 cantons",
                        new Id("1.2.250.1.71.4.2.2", "2801234567"),
                        Instant.parse("2024-01-06T10:36:23Z")));
        assertThat(cda.legalAuthenticator().time())
                .as("written 20240106113623+100")
                .isEqualTo(Instant.parse("2024-01-06T10:36:23Z"));
        assertThat(cda.serviceStart()).isEqualTo(Instant.parse("2024-01-06T10:36:23Z"));
        assertThat(cda.serviceEnd()).isNull();
        assertThat(cda.eventCodes())
                .containsExactly(new Coding("2.16.840.1.113883.6.3", "J02.0", "Pharyngite à streptocoques"));
        assertThat(cda.facilityType().code()).isEqualTo("SA33");
        assertThat(cda.practiceSetting().code()).isEqualTo("DEPISTAGE");
    }

    @Test
    void autopresentableStylesheetYieldsTheDocumentItCarries() throws Exception {
        CdaDocument cda = read(EXAMPLES.resolve("BIO-CR-BIO_2021.01_Auto-Presentable.xml"));

        assertThat(cda.uniqueId()).isEqualTo("1.2.250.1.213.1.1.1.55.2021.1.1");
        assertThat(cda.type().code()).isEqualTo("11502-2");
        assertThat(cda.title()).isEqualTo("Compte rendu d'examens biologiques");
        assertThat(cda.created()).isEqualTo(Instant.parse("2021-04-01T16:10:00Z"));
    }

    private static CdaDocument read(Path file) throws IOException, CdaException {
        try (InputStream in = Files.newInputStream(file)) {
            return CdaReader.read(in);
        }
    }
}
