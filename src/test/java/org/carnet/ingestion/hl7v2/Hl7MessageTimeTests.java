package org.carnet.ingestion.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The time a bulk import orders an HL7 v2 message by: its MSH-7 (see MessageTimeOrderTests). */
class Hl7MessageTimeTests {

    @Test
    void anHl7MessageTimeIsMsh7ReadInFranceWithoutAnOffset() {
        byte[] message = Hl7Fixtures.mdmReplacement().getBytes(StandardCharsets.UTF_8);
        assertThat(new Hl7Connector().messageTime(message)).isEqualTo(Instant.parse("2024-07-12T08:00:00Z"));
        assertThat(new Hl7Connector()
                        .messageTime(
                                "MSH|^~\\&|A|B|C|D|pas une date||ORU^R01|1|P|2.5".getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }
}
