package org.carnet.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalContentTests {

    private static final String CDA =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n"
                    + "  <title>Compte rendu de consultation</title>\n</ClinicalDocument>\n";

    @Test
    void crLfLoneCrAndLfReadTheSame() throws IOException {
        String lf = sha1(CDA);

        assertThat(sha1(CDA.replace("\n", "\r\n"))).isEqualTo(lf);
        assertThat(sha1(CDA.replace("\n", "\r"))).isEqualTo(lf);
    }

    @Test
    void aLastLineEndAndAUtf8ByteOrderMarkAreTheTransportsNotTheDocuments() throws IOException {
        String lf = sha1(CDA);

        assertThat(sha1(CDA.stripTrailing())).isEqualTo(lf);
        assertThat(sha1(CDA + "\r\n\r\n")).isEqualTo(lf);
        assertThat(sha1("\uFEFF" + CDA)).isEqualTo(lf);
    }

    @Test
    void anyOtherDifferenceIsAnotherContent() throws IOException {
        String lf = sha1(CDA);

        assertThat(sha1(CDA.replace("  <title>", "<title>"))).as("indentation").isNotEqualTo(lf);
        assertThat(sha1(CDA.replace("\n  <title>", "\n\n  <title>")))
                .as("an empty line inside")
                .isNotEqualTo(lf);
        assertThat(sha1(CDA + "<!-- re-sent -->\n")).as("a comment").isNotEqualTo(lf);
        assertThat(sha1(CDA.replace("consultation", "Consultation"))).isNotEqualTo(lf);
    }

    @Test
    void lineEndsAcrossReadChunksCountOnce() throws IOException {
        // A CR LF split by the 8 KB read buffer, and text long enough to need several chunks.
        String line = "x".repeat(8191) + "\n" + "y".repeat(20_000) + "\n" + "z";
        assertThat(sha1(line.replace("\n", "\r\n"))).isEqualTo(sha1(line));
    }

    @Test
    void utf16ContentsAreComparedByTheirBytesOnly() throws IOException {
        byte[] utf16 = CDA.getBytes(StandardCharsets.UTF_16); // starts with its byte order mark FE FF
        assertThat(CanonicalContent.sha1(new ByteArrayInputStream(utf16))).isNull();
    }

    @Test
    void textAndXmlMediaTypesAreTextualPdfAndImagesAreNot() {
        assertThat(CanonicalContent.textual("text/xml")).isTrue();
        assertThat(CanonicalContent.textual("text/plain; charset=utf-8")).isTrue();
        assertThat(CanonicalContent.textual("Application/XML")).isTrue();
        assertThat(CanonicalContent.textual("application/hl7-v3+xml")).isTrue();
        assertThat(CanonicalContent.textual("application/fhir+json")).isTrue();
        assertThat(CanonicalContent.textual("application/pdf")).isFalse();
        assertThat(CanonicalContent.textual("image/jpeg")).isFalse();
        assertThat(CanonicalContent.textual(null)).isFalse();
    }

    private static String sha1(String text) throws IOException {
        return CanonicalContent.sha1(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
