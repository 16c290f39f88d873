package org.carnet.ingestion.hl7v2;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.carnet.ingestion.Connector;
import org.carnet.ingestion.Inbound;
import org.carnet.ingestion.Refused;
import org.junit.jupiter.api.Test;

/** A result row says what it measures (OBX-3): without it there is no Observation to file. */
class Hl7ResultWithoutCodeTests {

    private static final Connector.Documents NO_DOCUMENTS = new Connector.Documents() {
        @Override
        public String filedUnder(String uniqueId, String patientId) {
            return null;
        }

        @Override
        public String practitioner(String idNat) {
            return null;
        }
    };

    @Test
    void aResultRowWithoutObx3IsRefusedWithItsReason() throws Refused {
        String message = Hl7Fixtures.numericOru().replace("OBX|3|NM|2951-2^Sodium^LN|", "OBX|3|NM||");
        Connector.Reading reading =
                new Hl7Connector().read(new Inbound("hl7v2", "test", message.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> reading.unit().changes("p1", NO_DOCUMENTS))
                .isInstanceOf(Refused.class)
                .hasMessageContaining("OBX-3");
    }
}
