package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class DirectoryImportIT extends CarnetIT {

    private static final List<String> MALFORMED = List.of(
            "8|1234|81234|DR||M||DUPONT|Jean|10|Médecin|",
            "9|10000000001|910000000001" + "|".repeat(50),
            "8|10000000002|80000000000" + "|".repeat(50),
            RppsExtraction.line(995, 0).replaceFirst("\\|10\\|Médecin\\|", "||Médecin|"));

    @Autowired
    DirectoryImport directory;

    @TempDir
    Path temp;

    @Test
    @org.junit.jupiter.api.Order(1)
    void importsAnExtractionReportsBadLinesAndChangesNothingTheSecondTime() throws Exception {
        Path file = temp.resolve("PS_LibreAcces_Personne_activite_202611220000.txt");
        int good = RppsExtraction.write(file, 200, MALFORMED);
        long allLines = Files.readAllLines(file).size() - 1;

        DirectoryImport.Report first = directory.importFile(file, progress -> {});

        assertThat(first.lines()).isEqualTo(allLines);
        assertThat(first.imported()).isEqualTo(good);
        assertThat(first.rejected()).isEqualTo(allLines - good).isPositive();
        assertThat(first.rejections())
                .extracting(DirectoryImport.Rejected::reason)
                .anyMatch(r -> r.contains("expected 52 fields"))
                .anyMatch(r -> r.contains("8 (RPPS) or 0 (ADELI)"))
                .anyMatch(r -> r.contains("Identification nationale PP should be"))
                .anyMatch(r -> r.contains("Code profession is empty"));
        assertThat(first.rejections()).allSatisfy(r -> assertThat(r.line()).isGreaterThan(1));

        Practitioner doctor = client
                .search()
                .forResource(Practitioner.class)
                .where(Practitioner.IDENTIFIER.exactly().systemAndCode("urn:oid:1.2.250.1.71.4.2.1", "810000000000"))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .stream()
                .map(e -> (Practitioner) e.getResource())
                .findFirst()
                .orElseThrow();
        assertThat(doctor.getNameFirstRep().getFamily()).isEqualTo("MOREAU0");
        assertThat(doctor.getNameFirstRep().getPrefixAsSingleString()).isEqualTo("Dr");
        Bundle roles = client.search()
                .byUrl("PractitionerRole?practitioner=" + doctor.getIdElement().getIdPart()
                        + "&_include=PractitionerRole:organization")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(roles.getTotal()).isEqualTo(2);
        assertThat(client.search()
                        .byUrl("PractitionerRole?specialty=SM54&_summary=count")
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal())
                .isPositive();
        assertThat(client.search()
                        .byUrl("Organization?address-city=Ajaccio&_summary=count")
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal())
                .isPositive();
        assertThat(client.search()
                        .byUrl("Practitioner?name=moreau&_summary=count")
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal())
                .isPositive();

        DirectoryImport.Report second = directory.importFile(file, progress -> {});

        assertThat(second.written()).isZero();
        assertThat(second.unchanged()).isEqualTo(first.written());
        assertThat(client.read()
                        .resource(Practitioner.class)
                        .withId(doctor.getIdElement().getIdPart())
                        .execute()
                        .getMeta()
                        .getVersionId())
                .isEqualTo("1");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aNewerExtractionDeactivatesTheProfessionalsItNoLongerLists() throws Exception {
        Path full = temp.resolve("PS_LibreAcces_Personne_activite_202611220000.txt");
        RppsExtraction.write(full, 200, List.of());
        directory.importFile(full, progress -> {});
        Path newer = temp.resolve("PS_LibreAcces_Personne_activite_202612010000.txt");
        RppsExtraction.write(newer, 190, List.of());

        DirectoryImport.Report report = directory.importFile(newer, progress -> {});

        assertThat(report.deactivation().skipped()).isNull();
        assertThat(report.deactivation().practitioners()).isEqualTo(10);
        assertThat(report.deactivation().roles()).isPositive();
        assertThat(active("810000000195")).isFalse();
        assertThat(active("810000000189")).isTrue();
        assertThat(client.search()
                        .byUrl("PractitionerRole?practitioner=" + id("810000000195") + "&active=true"
                                + "&_summary=count")
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal())
                .isZero();

        DirectoryImport.Report again = directory.importFile(newer, progress -> {});

        assertThat(again.written()).isZero();
        assertThat(again.deactivation().practitioners()).isZero();
        DirectoryImport.Report back = directory.importFile(full, progress -> {});
        assertThat(back.written()).isPositive();
        assertThat(active("810000000195")).isTrue();
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aTruncatedExtractionDeactivatesNobody() throws Exception {
        Path truncated = temp.resolve("PS_LibreAcces_Personne_activite_truncated.txt");
        RppsExtraction.write(truncated, 20, List.of());

        DirectoryImport.Report report = directory.importFile(truncated, progress -> {});

        assertThat(report.deactivation().skipped()).contains("looks truncated");
        assertThat(active("810000000150")).isTrue();
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void aRealShapedExtractionIsImportedAndItsRejectedAndDisagreeingLinesMakeTheCommandFail() throws Exception {
        Path sample = temp.resolve("PS_LibreAcces_Personne_activite_sample.txt");
        try (var in = getClass().getResourceAsStream("/identity/PS_LibreAcces_Personne_activite_sample.txt")) {
            Files.copy(in, sample);
        }
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();

        int exit = ImportRppsCommand.run(
                sample,
                context,
                new java.io.PrintStream(out, true, "UTF-8"),
                new java.io.PrintStream(err, true, "UTF-8"));

        String report = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(exit).as(report).isEqualTo(2);
        assertThat(report)
                .contains("7 lines, 6 imported, 1 rejected")
                .contains("1 line rejected (not imported):")
                .contains("line 8: Identification nationale PP should be '819900000045', found '819900000054'")
                .contains("1 line disagreeing with an earlier line of the same professional")
                .contains("line 7: professional 819900000037 has another name than on line 6 (line 6's kept)");
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("1 line(s) rejected, 1 disagreeing");

        Practitioner cardiologist = practitioner("819900000037");
        assertThat(cardiologist.getNameFirstRep().getFamily()).isEqualTo("FICTIF-BERNARD");
        assertThat(client.search()
                        .byUrl("PractitionerRole?practitioner="
                                + cardiologist.getIdElement().getIdPart() + "&_summary=count")
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal())
                .as("both activities")
                .isEqualTo(2);
        Practitioner doctor = practitioner("819900000011");
        assertThat(doctor.getIdentifier())
                .extracting(i -> i.getType().getCodingFirstRep().getCode(), i -> i.getSystem(), i -> i.getValue())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("IDNPS", "urn:oid:1.2.250.1.71.4.2.1", "819900000011"),
                        org.assertj.core.groups.Tuple.tuple("RPPS", "https://rpps.esante.gouv.fr", "19900000011"));
        assertThat(doctor.getIdentifier())
                .allSatisfy(i -> assertThat(i.getType().getCodingFirstRep().getSystem())
                        .isEqualTo("https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"));
        Practitioner nurse = practitioner("0359900041");
        assertThat(nurse.getIdentifier())
                .extracting(i -> i.getType().getCodingFirstRep().getCode(), i -> i.getSystem())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("IDNPS", "urn:oid:1.2.250.1.71.4.2.1"),
                        org.assertj.core.groups.Tuple.tuple("ADELI", null));

        var again = new java.io.ByteArrayOutputStream();
        java.nio.file.Path clean = temp.resolve("clean.txt");
        List<String> lines = Files.readAllLines(sample);
        Files.write(clean, lines.subList(0, 6));
        assertThat(ImportRppsCommand.run(
                        clean,
                        context,
                        new java.io.PrintStream(again, true, "UTF-8"),
                        new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, "UTF-8")))
                .isZero();
    }

    @Autowired
    org.springframework.context.ConfigurableApplicationContext context;

    private Practitioner practitioner(String idNat) {
        return client
                .search()
                .forResource(Practitioner.class)
                .where(Practitioner.IDENTIFIER.exactly().systemAndCode("urn:oid:1.2.250.1.71.4.2.1", idNat))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .stream()
                .map(e -> (Practitioner) e.getResource())
                .findFirst()
                .orElseThrow();
    }

    private String id(String idNat) {
        return practitioner(idNat).getIdElement().getIdPart();
    }

    private boolean active(String idNat) {
        return practitioner(idNat).getActive();
    }
}
