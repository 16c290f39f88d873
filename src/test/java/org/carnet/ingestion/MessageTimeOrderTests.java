package org.carnet.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a bulk import orders its items: by the time their format gives (CDA effectiveTime, MSH-7). */
class MessageTimeOrderTests {

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
                .as("the rest of the document is not needed").isNotNull();
        assertThat(new CdaConnector().messageTime(Arrays.copyOf(cda, time))).isNull();
        assertThat(new CdaConnector().messageTime("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><effectiveTime value=\"2023\"/>"
                .getBytes(StandardCharsets.UTF_8))).as("a year is a time").isNotNull();
        assertThat(new CdaConnector().messageTime("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><effectiveTime value=\"hier\"/>"
                .getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(new CdaConnector().messageTime("<ClinicalDocument><effectiveTime value=\"20230415\"/></ClinicalDocument>"
                .getBytes(StandardCharsets.UTF_8))).as("outside the CDA namespace").isNull();
    }

    @Test
    void aCdaWithADoctypeHasNoTimeAndReadsNoEntity() {
        byte[] hostile = ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><effectiveTime value=\"20230415\"/>&e;</ClinicalDocument>")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(new CdaConnector().messageTime(hostile)).isNull();
    }

    @Test
    void anHl7MessageTimeIsMsh7ReadInFranceWithoutAnOffset() {
        byte[] message = Hl7Fixtures.mdmReplacement().getBytes(StandardCharsets.UTF_8);
        assertThat(new Hl7Connector().messageTime(message)).isEqualTo(Instant.parse("2024-07-12T08:00:00Z"));
        assertThat(new Hl7Connector().messageTime("MSH|^~\\&|A|B|C|D|pas une date||ORU^R01|1|P|2.5".getBytes(
                StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void itemsGoByRankThenUntimedInTheirOrderThenTimedByTime() {
        List<String> names = List.of("b.json", "a-replacement.xml", "b-initial.xml", "c-untimed.pdf", "d.csv", "a.json");
        List<Instant> times = Arrays.asList(null, Instant.parse("2023-04-16T07:15:00Z"),
                Instant.parse("2023-04-15T08:30:00Z"), null, null, null);

        List<String> ordered = BulkImport.ordered(names, n -> n.endsWith(".json") ? 0 : n.endsWith(".csv") ? 2 : 1, times);

        assertThat(ordered).containsExactly("b.json", "a.json", "c-untimed.pdf", "b-initial.xml", "a-replacement.xml",
                "d.csv");
    }

    @Test
    void equalTimesKeepTheirOrder() {
        Instant same = Instant.parse("2024-07-12T08:00:00Z");
        assertThat(BulkImport.ordered(List.of("z", "a", "m"), n -> 1, Arrays.asList(same, same, same)))
                .containsExactly("z", "a", "m");
    }

    private static byte[] cda(String name) throws IOException {
        try (InputStream in = MessageTimeOrderTests.class.getResourceAsStream("/ingestion/cda/" + name)) {
            return in.readAllBytes();
        }
    }
}
