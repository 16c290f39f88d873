package org.carnet.ingestion.cda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The time a bulk import orders a CDA by: its ClinicalDocument effectiveTime (see MessageTimeOrderTests). */
class CdaMessageTimeTests {

    @Test
    void aCdaTimeIsItsClinicalDocumentEffectiveTimeNotAServiceEventsOrAnAuthors() throws IOException {
        assertThat(new CdaConnector().messageTime(cda("consultation_structured.xml")))
                .isEqualTo(Instant.parse("2023-04-15T08:30:00Z"));
        assertThat(new CdaConnector().messageTime(cda("consultation_replacing_previous_version.xml")))
                .isEqualTo(Instant.parse("2023-04-16T07:15:00Z"));
    }

    @Test
    void aCdaTimeIsReadFromTheHeadOnlyAndIsNullWhenTheHeadEndsBeforeIt() throws IOException {
        byte[] cda = cda("consultation_structured.xml");
        String text = new String(cda, StandardCharsets.UTF_8);
        int time = text.indexOf("<effectiveTime value=");

        assertThat(new CdaConnector().messageTime(Arrays.copyOf(cda, time + 60)))
                .as("the rest of the document is not needed")
                .isNotNull();
        assertThat(new CdaConnector().messageTime(Arrays.copyOf(cda, time))).isNull();
        assertThat(new CdaConnector()
                        .messageTime("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><effectiveTime value=\"2023\"/>"
                                .getBytes(StandardCharsets.UTF_8)))
                .as("a year is a time")
                .isNotNull();
        assertThat(new CdaConnector()
                        .messageTime("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><effectiveTime value=\"hier\"/>"
                                .getBytes(StandardCharsets.UTF_8)))
                .isNull();
        assertThat(new CdaConnector()
                        .messageTime("<ClinicalDocument><effectiveTime value=\"20230415\"/></ClinicalDocument>"
                                .getBytes(StandardCharsets.UTF_8)))
                .as("outside the CDA namespace")
                .isNull();
    }

    @Test
    void aCdaWithADoctypeHasNoTimeAndReadsNoEntity() {
        byte[] hostile = ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                        + "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><effectiveTime value=\"20230415\"/>&e;</ClinicalDocument>")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(new CdaConnector().messageTime(hostile)).isNull();
    }

    private static byte[] cda(String name) throws IOException {
        try (InputStream in = CdaMessageTimeTests.class.getResourceAsStream("/ingestion/cda/" + name)) {
            return in.readAllBytes();
        }
    }
}
