package org.carnet.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NirTests {

    @Test
    void keyMatchesTheBriefsCheckVectors() {
        assertThat(Nir.key("2550814168025")).isEqualTo("38");
        assertThat(Nir.key("2940375120005")).isEqualTo("91");
        assertThat(Nir.key("1531245007231")).isEqualTo("60");
    }

    @Test
    void keyOfCorsicanNirUsesNineteen() {
        assertThat(Nir.key("284052A321025")).isEqualTo("52");
    }

    @Test
    void everyGeneratedNirHasItsKeyItsTraitsAndATestOrDemoOid() {
        SplittableRandom random = new SplittableRandom(7);
        Set<String> nirs = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Model.Sex sex = i % 2 == 0 ? Model.Sex.FEMALE : Model.Sex.MALE;
            LocalDate birth = LocalDate.of(1925, 1, 1).plusDays(random.nextInt(36_000));
            Model.Identity identity = FrenchPeople.identity(sex, birth, FrenchPeople.INS_TEST_OID, i, random);
            String nir = identity.nir();

            assertThat(nir).hasSize(15);
            assertThat(Nir.key(nir.substring(0, 13))).isEqualTo(nir.substring(13));
            assertThat(nir.charAt(0)).isEqualTo(sex == Model.Sex.MALE ? '1' : '2');
            assertThat(nir.substring(1, 3)).isEqualTo(String.format("%02d", birth.getYear() % 100));
            assertThat(nir.substring(3, 5)).isEqualTo(String.format("%02d", birth.getMonthValue()));
            assertThat(nir.substring(5, 10)).isEqualTo(identity.birthplaceInsee());
            assertThat(identity.insOid()).isIn(FrenchPeople.INS_TEST_OID, FrenchPeople.INS_DEMO_OID);
            nirs.add(nir);
        }
        assertThat(nirs).hasSizeGreaterThan(1990);
    }

    @Test
    void rppsAndFinessCarryALuhnCheckDigit() {
        Directory directory = Professionals.directory(100, new SplittableRandom(3));

        assertThat(directory.professionals().values()).allSatisfy(p -> {
            assertThat(p.rpps()).hasSize(11);
            assertThat(Professionals.withLuhn(p.rpps().substring(0, 10))).isEqualTo(p.rpps());
            assertThat(p.idNatPs()).isEqualTo("8" + p.rpps());
        });
        assertThat(directory.organisations().values()).allSatisfy(o -> {
            assertThat(o.finess()).hasSize(9);
            assertThat(Professionals.withLuhn(o.finess().substring(0, 8))).isEqualTo(o.finess());
        });
    }
}
