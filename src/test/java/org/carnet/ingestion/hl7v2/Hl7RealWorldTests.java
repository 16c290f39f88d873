package org.carnet.ingestion.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.carnet.ingestion.cda.Coding;
import org.carnet.ingestion.pdf.Pdfs;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * HL7 v2 messages as French hospitals and labs send them (fixtures {@code oru_results_with_pdf.hl7},
 * {@code mdm_t02_pdf_letter.hl7}, {@code oru_two_cdas.hl7}): several orders, embedded PDFs, comma decimals, SN and
 * coded values, French unit spellings, hex escapes and the ZBE movement segment.
 */
class Hl7RealWorldTests {

    @Test
    void eachOrderKeepsItsOwnNumberCodeAndResultsAndThePdfIsADocumentOfTheFirst() throws Exception {
        LabMessage message = Hl7Reader.read(Hl7Fixtures.oruWithPdfAndResults(Pdfs.text("Compte rendu NFS")));

        assertThat(message.orders()).hasSize(2);
        LabOrder count = message.orders().get(0);
        LabOrder crp = message.orders().get(1);
        assertThat(count.fillerId()).isEqualTo("NFS-24-0912-001");
        assertThat(count.code()).isEqualTo(new Coding("LN", "57021-8", "Numération formule sanguine"));
        assertThat(count.results())
                .extracting(r -> r.code().code())
                .containsExactly("6690-2", "718-7", "2160-0", "8251-1");
        assertThat(crp.fillerId()).isEqualTo("CRP-24-0912-002");
        assertThat(crp.code().code()).isEqualTo("1988-5");
        assertThat(crp.results())
                .extracting(r -> r.code().code())
                .containsExactly("1988-5", "5196-1", "5196-1", "882-1");
        assertThat(message.results()).as("the PDF row is not a result").hasSize(8);

        assertThat(message.documents()).singleElement().satisfies(pdf -> {
            assertThat(pdf.mediaType()).isEqualTo("application/pdf");
            assertThat(pdf.label()).isEqualTo("OBX 5");
            assertThat(pdf.order()).isZero();
            assertThat(new String(pdf.content(), 0, 5, StandardCharsets.ISO_8859_1))
                    .isEqualTo("%PDF-");
        });
    }

    @Test
    void hexEscapesAreDecodedInTheMessagesCharacterSet() throws Exception {
        LabMessage message = Hl7Reader.read(Hl7Fixtures.oruWithPdfAndResults(Pdfs.text("x")));

        assertThat(message.orders().get(0).results().get(3).value()).isEqualTo("Prélèvement hémolysé à contrôler");
        assertThat(Hl7Escapes.resolveHex("MSH|^~\\&|A\rOBX|1|ST|X||\\E\\X41\\E\\ et \\X7C\\"))
                .as("an escaped escape stays text; a decoded delimiter is written as its named escape")
                .isEqualTo("MSH|^~\\&|A\rOBX|1|ST|X||\\E\\X41\\E\\ et \\F\\");
    }

    @Test
    void theZbeMovementIsRead() throws Exception {
        LabMessage.Movement movement =
                Hl7Reader.read(Hl7Fixtures.oruWithPdfAndResults(Pdfs.text("x"))).movement();

        assertThat(movement.id()).isEqualTo("MVT-7781");
        assertThat(movement.at()).isEqualTo(Instant.parse("2024-09-11T12:30:00Z"));
        assertThat(movement.action()).isEqualTo("INSERT");
        assertThat(movement.wardCode()).isEqualTo("4021");
        assertThat(movement.wardName()).isEqualTo("Cardiologie B");
        assertThat(movement.nature()).isEqualTo("HMS");
        assertThat(movement.patientClass()).isEqualTo("I");
    }

    @Test
    void valuesAreMappedAsFhirMeansThemSoTheyCanBeTrended() throws Exception {
        List<Result> results =
                Hl7Reader.read(Hl7Fixtures.oruWithPdfAndResults(Pdfs.text("x"))).results();

        Quantity leucocytes = (Quantity) ResultValues.of(results.get(0));
        assertThat(leucocytes.getValue()).isEqualByComparingTo(new BigDecimal("5.8"));
        assertThat(leucocytes.getUnit()).isEqualTo("G/L");
        assertThat(leucocytes.getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(leucocytes.getCode()).as("G/L is giga per litre, not gauss").isEqualTo("10*9/L");
        Quantity haemoglobin = (Quantity) ResultValues.of(results.get(1));
        assertThat(haemoglobin.getValue()).isEqualByComparingTo("13.2");
        assertThat(haemoglobin.getCode()).isEqualTo("g/dL");
        Quantity creatinine = (Quantity) ResultValues.of(results.get(2));
        assertThat(creatinine.getUnit()).isEqualTo("µmol/L");
        assertThat(creatinine.getCode()).isEqualTo("umol/L");
        assertThat(ResultValues.of(results.get(3))).isInstanceOf(StringType.class);

        Quantity crp = (Quantity) ResultValues.of(results.get(4));
        assertThat(crp.getComparator()).isEqualTo(Quantity.QuantityComparator.LESS_THAN);
        assertThat(crp.getValue()).isEqualByComparingTo("2");
        assertThat(crp.getCode()).isEqualTo("mg/L");
        Ratio titre = (Ratio) ResultValues.of(results.get(5));
        assertThat(titre.getNumerator().getValue()).isEqualByComparingTo("1");
        assertThat(titre.getDenominator().getValue()).isEqualByComparingTo("128");
        CodeableConcept negative = (CodeableConcept) ResultValues.of(results.get(6));
        assertThat(negative.getCodingFirstRep().getCode()).isEqualTo("NEG");
        assertThat(negative.getCodingFirstRep().getDisplay()).isEqualTo("Négatif");
        assertThat(negative.getCodingFirstRep().hasSystem())
                .as("a local code (L) has no system to vouch for")
                .isFalse();
        assertThat(negative.getText()).isEqualTo("Négatif");
        CodeableConcept group = (CodeableConcept) ResultValues.of(results.get(7));
        assertThat(group.getCodingFirstRep().getCode()).isEqualTo("A+");
        assertThat(group.getText()).isEqualTo("A Rhésus positif");
    }

    @Test
    void aUnitIsLabelledUcumOnlyWhenItIsOne() {
        assertThat(ResultValues.ucum("mmol/L")).isEqualTo("mmol/L");
        assertThat(ResultValues.ucum("UI/L")).isEqualTo("[IU]/L");
        assertThat(ResultValues.ucum("T/L")).isEqualTo("10*12/L");
        assertThat(ResultValues.ucum("cellules/champ")).isNull();
        assertThat(ResultValues.ucum("µmol/L")).isEqualTo("umol/L");
    }

    @Test
    void anMdmT02CarriesItsPdfLetterUnderTheTxaUniqueId() throws Exception {
        LabMessage message = Hl7Reader.read(Hl7Fixtures.mdmPdfLetter(Pdfs.text("Lettre de liaison")));

        assertThat(message.messageType()).isEqualTo("MDM^T02");
        assertThat(message.documentId()).isEqualTo("1.2.250.1.999.69.2.20240915.7");
        assertThat(message.documents()).singleElement().satisfies(pdf -> {
            assertThat(pdf.mediaType()).isEqualTo("application/pdf");
            assertThat(pdf.isCda()).isFalse();
            assertThat(pdf.code().code()).isEqualTo("11490-0");
        });
        assertThat(message.results()).isEmpty();
    }

    @Test
    void everyDocumentOfAMessageIsRead() throws Exception {
        byte[] cda = "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>".getBytes(StandardCharsets.UTF_8);
        LabMessage message = Hl7Reader.read(Hl7Fixtures.oruTwoCdas(cda, cda));

        assertThat(message.documents())
                .hasSize(2)
                .allSatisfy(d -> assertThat(d.isCda()).isTrue());
        assertThat(message.documents()).extracting(EmbeddedDocument::label).containsExactly("OBX 1", "OBX 2");
    }
}
