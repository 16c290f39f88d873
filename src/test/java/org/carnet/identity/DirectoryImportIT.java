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
            "9|10000000001|910000000001" + "|".repeat(51),
            "8|10000000002|80000000000" + "|".repeat(51),
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
        assertThat(first.rejections()).extracting(DirectoryImport.Rejected::reason)
                .anyMatch(r -> r.contains("53 fields"))
                .anyMatch(r -> r.contains("8 (RPPS) or 0 (ADELI)"))
                .anyMatch(r -> r.contains("Identification nationale PP should be"))
                .anyMatch(r -> r.contains("Code profession is empty"));
        assertThat(first.rejections()).allSatisfy(r -> assertThat(r.line()).isGreaterThan(1));

        Practitioner doctor = client.search().forResource(Practitioner.class)
                .where(Practitioner.IDENTIFIER.exactly().systemAndCode("urn:oid:1.2.250.1.71.4.2.1", "810000000000"))
                .returnBundle(Bundle.class).execute().getEntry().stream()
                .map(e -> (Practitioner) e.getResource()).findFirst().orElseThrow();
        assertThat(doctor.getNameFirstRep().getFamily()).isEqualTo("MOREAU0");
        assertThat(doctor.getNameFirstRep().getPrefixAsSingleString()).isEqualTo("Dr");
        Bundle roles = client.search().byUrl("PractitionerRole?practitioner=" + doctor.getIdElement().getIdPart()
                + "&_include=PractitionerRole:organization").returnBundle(Bundle.class).execute();
        assertThat(roles.getTotal()).isEqualTo(2);
        assertThat(client.search().byUrl("PractitionerRole?specialty=SM54&_summary=count")
                .returnBundle(Bundle.class).execute().getTotal()).isPositive();
        assertThat(client.search().byUrl("Organization?address-city=Ajaccio&_summary=count")
                .returnBundle(Bundle.class).execute().getTotal()).isPositive();
        assertThat(client.search().byUrl("Practitioner?name=moreau&_summary=count")
                .returnBundle(Bundle.class).execute().getTotal()).isPositive();

        DirectoryImport.Report second = directory.importFile(file, progress -> {});

        assertThat(second.written()).isZero();
        assertThat(second.unchanged()).isEqualTo(first.written());
        assertThat(client.read().resource(Practitioner.class).withId(doctor.getIdElement().getIdPart()).execute()
                .getMeta().getVersionId()).isEqualTo("1");
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
        assertThat(client.search().byUrl("PractitionerRole?practitioner=" + id("810000000195") + "&active=true"
                + "&_summary=count").returnBundle(Bundle.class).execute().getTotal()).isZero();

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

    private Practitioner practitioner(String idNat) {
        return client.search().forResource(Practitioner.class)
                .where(Practitioner.IDENTIFIER.exactly().systemAndCode("urn:oid:1.2.250.1.71.4.2.1", idNat))
                .returnBundle(Bundle.class).execute().getEntry().stream()
                .map(e -> (Practitioner) e.getResource()).findFirst().orElseThrow();
    }

    private String id(String idNat) {
        return practitioner(idNat).getIdElement().getIdPart();
    }

    private boolean active(String idNat) {
        return practitioner(idNat).getActive();
    }
}
