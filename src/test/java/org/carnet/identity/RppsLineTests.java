package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The public extraction's layout, on a hand-written sample of its real shape
 * ({@code PS_LibreAcces_Personne_activite_sample.txt}: a header of 52 names, every line ending with a '|').
 */
class RppsLineTests {

    @Test
    void theSampleHasTheRealShapeFiftyTwoNamedFieldsAndATrailingBar() throws Exception {
        List<String> lines = sample();
        assertThat(RppsLine.isHeader(lines.get(0))).isTrue();
        for (String line : lines) {
            assertThat(line).endsWith("|");
            String[] pieces = line.split("\\|", -1);
            assertThat(pieces).hasSize(53);
            assertThat(pieces[52]).isEmpty();
        }
        assertThat(RppsLine.fieldCount(lines.get(0))).isEqualTo(52).isEqualTo(RppsLine.FIELDS);
    }

    @Test
    void readsEveryFieldOfARealShapedLine() throws Exception {
        RppsLine doctor = RppsLine.parse(sample().get(1));

        assertThat(doctor.idType()).isEqualTo("8");
        assertThat(doctor.id()).isEqualTo("19900000011");
        assertThat(doctor.idNat()).isEqualTo("819900000011");
        assertThat(doctor.practiceTitle()).isEqualTo("DR");
        assertThat(doctor.civility()).isEqualTo("MME");
        assertThat(doctor.family()).isEqualTo("FICTIVE-MOREAU");
        assertThat(doctor.given()).isEqualTo("Hélène");
        assertThat(doctor.professionCode()).isEqualTo("10");
        assertThat(doctor.skillCode()).isEqualTo("SM54");
        assertThat(doctor.practiceMode()).isEqualTo("L");
        assertThat(doctor.siret()).isEqualTo("99999999900011");
        assertThat(doctor.structureId()).isEqualTo("R10199000000011");
        assertThat(doctor.structureName()).isEqualTo("CABINET DU DR FICTIVE-MOREAU");
        assertThat(doctor.postalCode()).isEqualTo("35000");
        assertThat(doctor.cityCode()).isEqualTo("35238");
        assertThat(doctor.city()).isEqualTo("Rennes");
        assertThat(doctor.phone()).isEqualTo("0299000011");
        assertThat(doctor.carriesPerson()).isTrue();
    }

    @Test
    void aLineWithoutItsTrailingBarReadsTheSame() throws Exception {
        String line = sample().get(3);
        assertThat(RppsLine.parse(line.substring(0, line.length() - 1))).isEqualTo(RppsLine.parse(line));
    }

    @Test
    void aLineOfFiftyThreeValuesIsRefusedWithTheCountsFound() throws Exception {
        String line = sample().get(3);
        assertThatThrownBy(() -> RppsLine.parse(line + "|"))
                .isInstanceOf(RppsLine.Malformed.class)
                .hasMessage("expected 52 fields separated by '|' (and a trailing '|'), found 53");
    }

    private static List<String> sample() throws Exception {
        try (InputStream in =
                RppsLineTests.class.getResourceAsStream("/identity/PS_LibreAcces_Personne_activite_sample.txt")) {
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }
}
