package org.carnet.ingestion.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.carnet.ingestion.hl7v2.Hl7Fixtures.INS;
import static org.carnet.ingestion.hl7v2.Hl7Fixtures.INS_TEST_OID;
import static org.carnet.ingestion.hl7v2.Hl7Fixtures.field;
import static org.carnet.ingestion.hl7v2.Hl7Fixtures.segments;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.carnet.ingestion.cda.Coding;
import org.carnet.ingestion.cda.Hl7Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Hl7ReaderTests {

    /** The time the ACKs are made at: 11:30 in Paris (winter). */
    private static final java.time.Instant AT = java.time.Instant.parse("2024-12-03T10:30:00Z");

    private static final String MSH = "MSH|^~\\&|LAB|LABO|CARNET|CARNET|20240710081500||ORU^R01^ORU_R01|C-1|P|2.5";
    private static final String PID =
            "PID|||" + INS + "^^^ASIP-SANTE-INS-NIR&" + INS_TEST_OID + "&ISO^INS||MARTIN^MARIE";

    @Test
    void readsNumericResultsShapedLikeTheSyntheticWriter() throws Exception {
        LabMessage message = Hl7Reader.read(Hl7Fixtures.numericOru());

        assertThat(message.controlId()).isEqualTo("MSG-0001");
        assertThat(message.sendingApplication()).isEqualTo("CARNET-SYNTH");
        assertThat(message.sendingFacility()).isEqualTo("750000001");
        assertThat(message.messageType()).isEqualTo("ORU^R01");
        assertThat(message.action()).isEqualTo(Action.INITIAL);
        assertThat(message.patientIds()).containsExactly(new PatientId(INS, INS_TEST_OID, "INS"));
        assertThat(message.birthFamily()).isEqualTo("MARTIN");
        assertThat(message.givens()).containsExactly("MARIE", "CLAIRE");
        assertThat(message.birthDate()).isEqualTo(LocalDate.of(1958, 3, 14));
        assertThat(message.sex()).isEqualTo("F");
        assertThat(message.ordererIdNat()).isEqualTo("810001234567");
        assertThat(message.ordererFamily()).isEqualTo("LEROY");
        assertThat(message.ordererGiven()).isEqualTo("Paul");
        assertThat(message.orderId()).isEqualTo("MSG-0001");
        assertThat(message.reportCode()).isEqualTo(new Coding("LN", "11502-2", "CR d'examens biologiques"));
        assertThat(message.observed()).isEqualTo(Instant.parse("2024-07-10T06:15:00Z"));
        assertThat(message.document()).isNull();
        assertThat(message.documentId()).isNull();
        assertThat(message.flags()).isEmpty();
    }

    @Test
    void readsEachNumericObservationWithUnitRangeFlagAndTime() throws Exception {
        List<Result> results = Hl7Reader.read(Hl7Fixtures.numericOru()).results();

        assertThat(results).hasSize(3);
        assertThat(results.get(0))
                .isEqualTo(new Result(
                        new Coding("LN", "718-7", "Hémoglobine"),
                        "NM",
                        "11.2",
                        List.of("11.2"),
                        new java.math.BigDecimal("11.2"),
                        "g/dL",
                        "g/dL",
                        "UCUM",
                        "12-16",
                        "L",
                        "F",
                        Instant.parse("2024-07-10T06:15:00Z")));
        assertThat(results.get(1).code().display()).isEqualTo("Créatinine & clairance");
        assertThat(results.get(1).observed()).isEqualTo(Instant.parse("2024-07-10T07:15:00Z"));
        assertThat(results.get(2).numeric()).isEqualByComparingTo("142");
        assertThat(results.get(2).observed())
                .as("OBX-14 absent: OBR-7")
                .isEqualTo(message().observed());
    }

    @Test
    void decodesTheEmbeddedCdaAndKeepsTheVisibilityFlagsSetToYes() throws Exception {
        LabMessage message = Hl7Reader.read(Hl7Fixtures.cdaOruMaskedFromProfessionals());

        assertThat(new String(message.document(), StandardCharsets.UTF_8))
                .startsWith("<?xml")
                .contains("<ClinicalDocument");
        assertThat(message.documentMediaType()).isEqualTo("text/xml");
        assertThat(message.documentId()).isEqualTo("1.2.250.1.999.1.1.7^CR-2024-0042");
        assertThat(message.replacedDocumentId()).isNull();
        assertThat(message.action()).isEqualTo(Action.INITIAL);
        assertThat(message.flags()).containsExactly("MASQUE_PS");
        assertThat(message.results())
                .as("the document and DMP metadata rows are not results")
                .isEmpty();
        assertThat(message.observed()).isEqualTo(Instant.parse("2024-07-11T06:15:00Z"));
        assertThat(message.orderId()).isEqualTo("CR-2024-0042");
        assertThat(message.toString()).doesNotContain(INS, "MARTIN", "MARIE");
    }

    @Test
    void readsAnMdmReplacementWithItsDocumentIdsFromTxa() throws Exception {
        LabMessage message = Hl7Reader.read(Hl7Fixtures.mdmReplacement());

        assertThat(message.messageType()).isEqualTo("MDM^T10");
        assertThat(message.action()).isEqualTo(Action.REPLACE);
        assertThat(message.documentId()).isEqualTo("1.2.250.1.999.1.1.7.CR-2024-0043");
        assertThat(message.replacedDocumentId()).isEqualTo("1.2.250.1.999.1.1.7.CR-2024-0042");
        assertThat(message.flags()).containsExactlyInAnyOrder("INVISIBLE_PATIENT", "INVISIBLE_REPRESENTANTS_LEGAUX");
        assertThat(message.reportCode())
                .as("no OBR: the document row's code")
                .isEqualTo(new Coding("LN", "11502-2", "CR d'examens biologiques"));
        assertThat(message.observed()).as("no OBR: TXA-4").isEqualTo(Instant.parse("2024-07-11T06:15:00Z"));
    }

    @Test
    void takesTheDocumentIdsFromTheCdaHeaderWhenTxaHasNone() throws Exception {
        String withoutTxaIds = Hl7Fixtures.mdmReplacement().replaceAll("(?m)^TXA\\|.*$", "TXA|1|11502-2|TEXT");

        LabMessage message = Hl7Reader.read(withoutTxaIds);

        assertThat(message.documentId()).isEqualTo("1.2.250.1.999.1.1.7^CR-2024-0043");
        assertThat(message.replacedDocumentId()).isEqualTo("1.2.250.1.999.1.1.7^CR-2024-0042");
    }

    @ParameterizedTest
    @CsvSource({"F, NW, INITIAL", "C, NW, REPLACE", "D, NW, DELETE", "F, RO, REPLACE", "F, CA, DELETE", "C, CA, REPLACE"
    })
    void takesTheActionFromTheDocumentStatusThenTheOrderControl(String obx11, String orc1, Action expected)
            throws Exception {
        String message = Hl7Fixtures.cdaOruMaskedFromProfessionals()
                .replace("ORC|NW|", "ORC|" + orc1 + "|")
                .replaceAll("(?m)^(OBX\\|1\\|ED\\|[^\\r\\n]*\\|)F(\\r?)$", "$1" + obx11 + "$2");

        assertThat(Hl7Reader.read(message).action()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "20230415103000+0200, 2023-04-15T08:30:00Z",
        "202304151030, 2023-04-15T08:30:00Z",
        "20230415, 2023-04-14T22:00:00Z",
        "20230115103000.25, 2023-01-15T09:30:00.250Z",
        "20231029023000-0500, 2023-10-29T07:30:00Z"
    })
    void readsHl7TimestampsInFrenchLegalTimeUnlessAnOffsetIsGiven(String hl7, Instant expected) {
        assertThat(Hl7Time.instant(hl7)).isEqualTo(expected);
    }

    @Test
    void refusesAnEmptyMessage() {
        assertRefused("", "not an HL7 v2 message: empty");
        assertRefused(" \r\n", "not an HL7 v2 message: empty");
    }

    @Test
    void refusesTextThatIsNotHl7() {
        assertRefused(
                "Dear lab, please find attached...", "not an HL7 v2 message: it does not start with an MSH segment");
        assertRefused("MSH|no delimiters", "not an HL7 v2 message: no delimiters in MSH-1 and MSH-2");
    }

    @Test
    void refusesAnAdmission() {
        String adt = "MSH|^~\\&|GAM|CHU|DPI|CHU|20240306111154||ADT^A01^ADT_A01|3975|P|2.5\r" + PID + "\r";

        assertRefused(adt, "unsupported message type ADT^A01");
    }

    @Test
    void refusesAMessageWithoutPatientIdentifier() {
        assertRefused(MSH + "\rPID|||||MARTIN^MARIE\rOBR|1\r", "no patient identifier (PID-3)");
        assertRefused(MSH + "\rOBR|1\r", "no patient identifier (PID-3)");
    }

    @Test
    void refusesADocumentThatIsNotBase64() {
        String message = MSH + "\r" + PID + "\rOBR|1\rOBX|1|ED|11502-2^CR^LN||^TEXT^XML^Base64^PD94b@@@||||||F\r";

        assertRefused(message, "OBX-5 of type ED is not valid base64 (OBX 1)");
    }

    @Test
    void refusesAnImpossibleObservationTime() {
        String message = MSH + "\r" + PID + "\rOBR|1\rOBX|1|NM|718-7^Hb^LN||11|g/dL|||||F|||20241345\r";

        assertRefused(message, "invalid HL7 timestamp in OBX-14 (OBX 1)");
    }

    @Test
    void acceptanceAnswersTheInboundControlIdWithoutError() {
        String ack = Hl7Reader.ack(Hl7Fixtures.numericOru(), AckCode.AA, null, AT);

        assertThat(segments(ack)).extracting(s -> s[0]).containsExactly("MSH", "MSA");
        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        assertThat(field(ack, "MSA", 2)).isEqualTo("MSG-0001");
        assertThat(field(ack, "MSH", 9)).isEqualTo("ACK^R01^ACK");
        assertThat(field(ack, "MSH", 3)).as("from the inbound receiver").isEqualTo("CARNET");
        assertThat(field(ack, "MSH", 5)).as("to the inbound sender").isEqualTo("CARNET-SYNTH");
        assertThat(field(ack, "MSH", 6)).isEqualTo("750000001");
        assertThat(field(ack, "MSH", 10)).isNotBlank().isNotEqualTo("MSG-0001");
        assertThat(field(ack, "MSH", 12)).isEqualTo("2.5");
        assertThat(field(ack, "MSH", 7)).as("the time of the answer, in France").isEqualTo("20241203113000+0100");
        assertThat(field(ack, "MSH", 18)).isEqualTo("UNICODE UTF-8");
    }

    @Test
    void anErrorAckCarriesTheReasonInMsaAndErr() {
        String ack = Hl7Reader.ack(Hl7Fixtures.mdmReplacement(), AckCode.AE, "no patient identifier (PID-3)", AT);

        assertThat(segments(ack)).extracting(s -> s[0]).containsExactly("MSH", "MSA", "ERR");
        assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
        assertThat(field(ack, "MSA", 2)).isEqualTo("MDM-0003");
        assertThat(field(ack, "MSA", 3)).isEqualTo("no patient identifier (PID-3)");
        assertThat(field(ack, "MSH", 9)).isEqualTo("ACK^T10^ACK");
        assertThat(field(ack, "MSH", 12)).isEqualTo("2.6");
        assertThat(field(ack, "ERR", 3)).isEqualTo("101^Required field missing^HL70357");
        assertThat(field(ack, "ERR", 4)).isEqualTo("E");
        assertThat(field(ack, "ERR", 8)).isEqualTo("no patient identifier (PID-3)");
    }

    @Test
    void aRejectOfAnUnreadableMessageIsBuiltFromWhatItsHeaderSays() {
        String unreadable = "MSH|^~\\&|LAB|LABO|CARNET|CARNET|20240710||ORU^R01|CTRL-9|P|2.5\rPID|||\u0000";
        String ack = Hl7Reader.ack(unreadable, AckCode.AR, "text with | and ^ inside", AT);

        assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
        assertThat(field(ack, "MSA", 2)).isEqualTo("CTRL-9");
        assertThat(field(ack, "MSA", 3)).isEqualTo("text with \\F\\ and \\S\\ inside");
        assertThat(field(ack, "ERR", 3)).startsWith("207^");
    }

    @Test
    void theErrorCodeOfAnAckSaysWhatWasWrong() {
        String mdm = Hl7Fixtures.mdmReplacement();
        assertThat(field(Hl7Reader.ack(mdm, AckCode.AR, "unsupported message type ADT^A01", AT), "ERR", 3))
                .startsWith("200^Unsupported message type");
        assertThat(field(
                        Hl7Reader.ack(
                                mdm, AckCode.AR, "refused: OBX 1: the CDA in the message: not well-formed XML", AT),
                        "ERR",
                        3))
                .startsWith("102^Data type error");
        assertThat(field(Hl7Reader.ack(mdm, AckCode.AE, "kept in quarantine: no record matches the INS", AT), "ERR", 3))
                .startsWith("204^Unknown key identifier");
        assertThat(field(Hl7Reader.ack(mdm, AckCode.AR, "refused: no patient identifier (PID-3)", AT), "ERR", 3))
                .startsWith("101^Required field missing");
    }

    @Test
    void aRejectOfSomethingWithoutHeaderFallsBackToDefaults() {
        String ack = Hl7Reader.ack("not hl7 at all", AckCode.AR, "not an HL7 v2 message", AT);

        assertThat(field(ack, "MSH", 3)).isEqualTo("CARNET");
        assertThat(field(ack, "MSH", 9)).isEqualTo("ACK^^ACK");
        assertThat(field(ack, "MSH", 11)).isEqualTo("P");
        assertThat(field(ack, "MSH", 12)).isEqualTo("2.5");
        assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
        assertThat(field(ack, "MSA", 2)).isEmpty();
    }

    private static LabMessage message() throws Hl7Exception {
        return Hl7Reader.read(Hl7Fixtures.numericOru());
    }

    private static void assertRefused(String message, String reason) {
        assertThatThrownBy(() -> Hl7Reader.read(message))
                .isInstanceOf(Hl7Exception.class)
                .hasMessage(reason);
    }
}
