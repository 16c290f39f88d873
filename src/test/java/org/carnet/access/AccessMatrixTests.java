package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AccessMatrixTests {

    @Test
    void theShippedMatrixGivesPhysiciansEveryTypeAndRestrictsTheOthers() throws IOException {
        AccessMatrix matrix;
        try (InputStream in = AccessMatrix.class.getResourceAsStream("/access/matrix.csv")) {
            matrix = AccessMatrix.read(in, "matrix.csv");
        }
        assertThat(matrix.of("10").types()).isNull();
        assertThat(matrix.of("10").documentTypes()).isNull();
        assertThat(matrix.of("40").types()).isNull();
        assertThat(matrix.of("40").excludedDocumentTypes()).containsExactly("28627-8");
        assertThat(matrix.of("21").types())
                .contains("Patient", "MedicationRequest", "DocumentReference")
                .doesNotContain("Observation", "Condition");
        assertThat(matrix.of("21").documentTypes())
                .contains("57833-6", "60593-1")
                .doesNotContain("11488-4");
        assertThat(matrix.of("99").types())
                .as("a profession the matrix does not list sees nothing")
                .isEmpty();
        assertThat(matrix.of(null).types())
                .as("a professional whose token names no profession sees nothing")
                .isEmpty();
        assertThat(matrix.of(null).mayUse(AccessMode.BRIS_DE_GLACE)).isFalse();
    }

    @Test
    void aPlainDocumentReferenceRowOpensEveryDocumentType() throws IOException {
        AccessMatrix matrix = read("profession;grant;source\n70;DocumentReference;test\n70;Observation;test\n");
        assertThat(matrix.of("70").types()).containsExactlyInAnyOrder("Patient", "DocumentReference", "Observation");
        assertThat(matrix.of("70").documentTypes()).isNull();
    }

    @Test
    void aMalformedFileIsRefusedWithItsLineNumber() {
        assertThatThrownBy(() -> read("profession;grant;source\n10;*;ok\nmédecin;*;bad\n"))
                .hasMessageContaining("line 3");
        assertThatThrownBy(() -> read("profession;grant;source\n21;Document Reference;bad\n"))
                .hasMessageContaining("line 2")
                .hasMessageContaining("unknown grant");
        assertThatThrownBy(() -> read("who;what\n10;*\n")).hasMessageContaining("header");
        assertThatThrownBy(() -> read("profession;grant;source\n21;DocumentReference:;bad\n"))
                .hasMessageContaining("needs a type code");
    }

    private static AccessMatrix read(String text) throws IOException {
        return AccessMatrix.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.csv");
    }
}
