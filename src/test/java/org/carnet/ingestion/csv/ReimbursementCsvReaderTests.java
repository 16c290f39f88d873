package org.carnet.ingestion.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.carnet.identity.FrCore;
import org.carnet.identity.IdentifierSystems;
import org.carnet.synthetic.SyntheticData;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("measures the heap: another test running beside it would change the figures")
class ReimbursementCsvReaderTests {

    private static final String HEADER = "nir;date_soins;code_acte;libelle;montant;montant_rembourse;idnat_ps";
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @TempDir
    Path temp;

    @Test
    void readsEachLineAsWrittenByTheGenerator() throws Exception {
        Read read = read(fixture("reimbursements_valid.csv"));

        assertThat(read.errors).isEmpty();
        assertThat(read.lines)
                .containsExactly(
                        new Reimbursement(
                                "258037505612368",
                                LocalDate.of(2024, 3, 2),
                                "G",
                                "Consultation",
                                new BigDecimal("30.00"),
                                new BigDecimal("21.00"),
                                "810001234567"),
                        new Reimbursement(
                                "258037505612368",
                                LocalDate.of(2024, 3, 9),
                                "B",
                                "Bilan \"lipides\" ; glycémie",
                                new BigDecimal("12.50"),
                                new BigDecimal("8.75"),
                                null),
                        new Reimbursement(
                                "175052A01234584",
                                LocalDate.of(2024, 4, 1),
                                "YYYY010",
                                "Compte rendu\r\nsur deux lignes",
                                new BigDecimal("1234.56"),
                                new BigDecimal("0.00"),
                                "810009876543"),
                        new Reimbursement(
                                "185079912345639",
                                LocalDate.of(2025, 1, 15),
                                "APC",
                                null,
                                new BigDecimal("56.50"),
                                new BigDecimal("39.55"),
                                "0123456789"));
    }

    @Test
    void aByteOrderMarkAndLfLineEndsReadTheSame() throws Exception {
        Read crlf = read(fixture("reimbursements_valid.csv"));
        Read bomLf = read(fixture("reimbursements_bom_lf.csv"));

        assertThat(bomLf.errors).isEmpty();
        assertThat(bomLf.lines).hasSize(4);
        // a quoted line break stays as written: LF in this file, CRLF in the other
        assertThat(bomLf.lines.get(2).label()).isEqualTo("Compte rendu\nsur deux lignes");
        assertThat(bomLf.lines.get(0)).isEqualTo(crlf.lines.get(0));
        assertThat(bomLf.lines.get(3)).isEqualTo(crlf.lines.get(3));
    }

    @Test
    void loneCarriageReturnsEndLinesToo() throws Exception {
        Read read = read(new StringReader(
                HEADER + "\r;2024-03-02;G;;30,00;21,00;\r" + "258037505612368;2024-03-02;G;;30,00;21,00;"));

        assertThat(read.errors).containsExactly(new LineError(2, "column nir: missing"));
        assertThat(read.lines).hasSize(1);
    }

    @Test
    void malformedLinesAreReportedWithTheirNumberAndReason() throws Exception {
        Read read = read(fixture("reimbursements_malformed.csv"));

        assertThat(read.lines)
                .extracting(Reimbursement::careDate)
                .containsExactly(LocalDate.of(2024, 3, 2), LocalDate.of(2025, 1, 15));
        assertThat(read.errors)
                .containsExactly(
                        new LineError(
                                3, "column montant: '12,x' is not an amount (euros with a decimal comma, as in 30,00)"),
                        new LineError(
                                4,
                                "column nir: '258037505612369' is not a NIR: The key of the matricule INS is wrong:"
                                        + " 69 given, 68 expected (key = 97 − (first 13 characters mod 97), 2A→19, 2B→18);"
                                        + " column date_soins: '2024-02-30' is not a date (yyyy-MM-dd)"),
                        new LineError(5, "expected 7 fields separated by ';', found 6"),
                        new LineError(
                                6,
                                "column code_acte: missing;"
                                        + " column montant: '30.00' is not an amount (euros with a decimal comma, as in 30,00);"
                                        + " column idnat_ps: '81000123' is not an IdNat_PS (8 and the 11-digit RPPS, or 0 and the"
                                        + " 9-digit ADELI)"),
                        new LineError(
                                7,
                                "column libelle: a quote inside an unquoted field (enclose the field in quotes and"
                                        + " double the quote)"),
                        new LineError(
                                8,
                                "column libelle: text after the closing quote (a quote inside a quoted field is"
                                        + " doubled)"),
                        new LineError(
                                10, "expected 7 fields separated by ';', found 8 (is a field holding ';' not quoted?)"),
                        new LineError(11, "column nir: missing"),
                        new LineError(
                                13,
                                "column libelle: the quoted field opened on this line is not closed by the end of"
                                        + " the file"));
    }

    @Test
    void aLineTooLongIsAnErrorAndReadingResumesAfterIt() throws Exception {
        String endless = "258037505612368;2024-03-02;G;\"" + "x".repeat(CsvLines.MAX_CHARS) + ";30,00;21,00;";
        Read read = read(
                new StringReader(HEADER + "\r\n" + endless + "\r\n258037505612368;2024-03-02;G;;30,00;21,00;\r\n"));

        assertThat(read.errors)
                .containsExactly(new LineError(2, "longer than 65536 characters (is a quote left open?)"));
        assertThat(read.lines).hasSize(1);
    }

    @Test
    void refusesAFileWithAnotherHeader() {
        assertThatThrownBy(() -> read(fixture("reimbursements_wrong_header.csv")))
                .isInstanceOf(CsvException.class)
                .hasMessage("wrong header: expected " + HEADER
                        + ", found 'nir,date_soins,code_acte,libelle,montant,montant_rembourse,idnat_ps'");
        assertThatThrownBy(() -> read(new StringReader("")))
                .isInstanceOf(CsvException.class)
                .hasMessage("empty file: expected the header line " + HEADER);
    }

    @Test
    void readsTheGeneratorsFileWithoutAnError() throws Exception {
        new SyntheticData(new SyntheticData.Options(
                        SyntheticData.Profile.DEMO, 5, 6, Set.of("csv"), SyntheticData.DEFAULT_TODAY))
                .writeTo(temp, done -> {});

        Read read;
        try (Reader in = Files.newBufferedReader(temp.resolve("reimbursements.csv"), StandardCharsets.UTF_8)) {
            read = read(in);
        }

        assertThat(read.errors).isEmpty();
        assertThat(read.lines).isNotEmpty().allSatisfy(line -> {
            assertThat(line.careDate()).isBeforeOrEqualTo(SyntheticData.DEFAULT_TODAY);
            assertThat(line.reimbursed()).isLessThanOrEqualTo(line.billed());
        });
        assertThat(read.lines).anySatisfy(line -> assertThat(line.idNatPs()).isNotNull());
    }

    @Test
    void streamsAFileLargerThanWhatItKeeps() throws Exception {
        int count = 150_000;
        long[] read = new long[1];
        long before = retainedHeap();
        long[] atTheEnd = new long[1];

        ReimbursementCsvReader.read(
                new GeneratedLines(count),
                line -> {
                    if (++read[0] == count) {
                        atTheEnd[0] = retainedHeap();
                    }
                },
                error -> {
                    throw new AssertionError(error.toString());
                });

        assertThat(read[0]).isEqualTo(count);
        // 12.7 million characters went through: kept whole, they alone would be over 12 MB
        assertThat(atTheEnd[0] - before).isLessThan(6 * 1024 * 1024);
    }

    @Test
    void aLineBecomesAnExplanationOfBenefitThatHapisStrictParserAccepts() throws Exception {
        Reimbursement consultation =
                read(fixture("reimbursements_valid.csv")).lines.getFirst();

        ExplanationOfBenefit eob =
                strictRoundTrip(ReimbursementCsvReader.toExplanationOfBenefit(consultation, "Patient/123"));

        assertThat(eob.getIdentifierFirstRep().getSystem()).isEqualTo("urn:carnet:insurer-line");
        assertThat(eob.getIdentifierFirstRep().getValue()).matches("[0-9a-f]{64}");
        assertThat(eob.getStatus()).isEqualTo(ExplanationOfBenefit.ExplanationOfBenefitStatus.ACTIVE);
        assertThat(eob.getUse()).isEqualTo(ExplanationOfBenefit.Use.CLAIM);
        assertThat(eob.getType().getCodingFirstRep().getCode()).isEqualTo("professional");
        assertThat(eob.getPatient().getReference()).isEqualTo("Patient/123");
        assertThat(eob.getCreatedElement().getValueAsString()).isEqualTo("2024-03-02");
        assertThat(eob.getInsurer().getDisplay()).isEqualTo("Assurance Maladie");
        assertThat(eob.getProvider().getIdentifier().getSystem()).isEqualTo(IdentifierSystems.IDNAT_PS);
        assertThat(eob.getProvider().getIdentifier().getValue()).isEqualTo("810001234567");
        assertThat(eob.getOutcome()).isEqualTo(ExplanationOfBenefit.RemittanceOutcome.COMPLETE);
        assertThat(eob.getInsuranceFirstRep().getFocal()).isTrue();
        ExplanationOfBenefit.ItemComponent item = eob.getItemFirstRep();
        assertThat(item.getSequence()).isEqualTo(1);
        assertThat(item.getProductOrService().getCodingFirstRep().getCode()).isEqualTo("G");
        assertThat(item.getProductOrService().getText()).isEqualTo("Consultation");
        assertThat(item.getServicedDateType().getValueAsString()).isEqualTo("2024-03-02");
        assertThat(item.getQuantity().getValue()).isEqualByComparingTo("1");
        assertThat(item.getAdjudication())
                .extracting(
                        a -> a.getCategory().getCodingFirstRep().getCode(),
                        a -> a.getAmount().getValue().toPlainString(),
                        a -> a.getAmount().getCurrency())
                .containsExactly(tuple("submitted", "30.00", "EUR"), tuple("benefit", "21.00", "EUR"));
        assertThat(eob.getTotal())
                .extracting(t -> t.getAmount().getValue().toPlainString())
                .containsExactly("30.00", "21.00");
        assertThat(eob.getPayment().getAmount().getValue()).isEqualByComparingTo("21.00");
    }

    @Test
    void everyLineGivesAnExplanationOfBenefitValidAgainstR4() throws Exception {
        FrCore validator = FrCore.loadOrSkip();

        for (Reimbursement line : read(fixture("reimbursements_valid.csv")).lines) {
            ExplanationOfBenefit eob = ReimbursementCsvReader.toExplanationOfBenefit(line, "Patient/123");

            assertThat(validator.errors(eob)).as(line.toString()).isEmpty();
        }
    }

    @Test
    void anUnknownProfessionalIsAProviderMarkedUnknown() throws Exception {
        Reimbursement unknown = read(fixture("reimbursements_valid.csv")).lines.get(1);

        ExplanationOfBenefit eob =
                strictRoundTrip(ReimbursementCsvReader.toExplanationOfBenefit(unknown, "Patient/123"));

        assertThat(eob.getProvider().hasIdentifier()).isFalse();
        assertThat(eob.getProvider().getDisplay()).isEqualTo("Professionnel non renseigné");
        assertThat(eob.getProvider()
                        .getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/data-absent-reason")
                        .getValue()
                        .primitiveValue())
                .isEqualTo("unknown");
    }

    @Test
    void aCcamCodeIsCodedInCcam() throws Exception {
        Reimbursement act = read(fixture("reimbursements_valid.csv")).lines.get(2);

        ExplanationOfBenefit eob = strictRoundTrip(ReimbursementCsvReader.toExplanationOfBenefit(act, "Patient/9"));

        assertThat(eob.getItemFirstRep()
                        .getProductOrService()
                        .getCodingFirstRep()
                        .getSystem())
                .isEqualTo("urn:oid:1.2.250.1.213.2.5");
    }

    @Test
    void aHospitalStayIsAnInstitutionalClaim() {
        Reimbursement stay = new Reimbursement(
                "258037505612368",
                LocalDate.of(2024, 3, 2),
                "GHS",
                "Séjour",
                new BigDecimal("1850.00"),
                new BigDecimal("1480.00"),
                null);

        ExplanationOfBenefit eob = ReimbursementCsvReader.toExplanationOfBenefit(stay, "Patient/1");

        assertThat(eob.getType().getCodingFirstRep().getCode()).isEqualTo("institutional");
    }

    @Test
    void theIdentifierIsStableAcrossImportsAndIgnoresTheLabel() throws Exception {
        Reimbursement line = read(fixture("reimbursements_valid.csv")).lines.getFirst();
        Reimbursement sameLineAgain =
                read(fixture("reimbursements_bom_lf.csv")).lines.getFirst();
        Reimbursement relabelled = new Reimbursement(
                line.nir(),
                line.careDate(),
                line.actCode(),
                "Consultation G",
                line.billed(),
                line.reimbursed(),
                line.idNatPs());
        Reimbursement otherAmount = new Reimbursement(
                line.nir(),
                line.careDate(),
                line.actCode(),
                line.label(),
                line.billed(),
                new BigDecimal("20.00"),
                line.idNatPs());

        assertThat(identifier(sameLineAgain)).isEqualTo(identifier(line));
        assertThat(identifier(relabelled)).isEqualTo(identifier(line));
        assertThat(identifier(otherAmount)).isNotEqualTo(identifier(line));
    }

    @Test
    void aReimbursementCannotHoldAnInvalidValue() {
        assertThatThrownBy(() -> new Reimbursement(
                        "258037505612369", LocalDate.of(2024, 3, 2), "G", null, BigDecimal.TEN, BigDecimal.ONE, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reimbursement(
                        "258037505612368",
                        LocalDate.of(2024, 3, 2),
                        "G",
                        null,
                        new BigDecimal("10.005"),
                        BigDecimal.ONE,
                        null))
                .hasMessage("billed has more than two decimals: 10.005");
        assertThatThrownBy(() -> new Reimbursement(
                        "258037505612368", LocalDate.of(2024, 3, 2), "G", null, BigDecimal.TEN, BigDecimal.ONE, "123"))
                .hasMessage("'123' is not an IdNat_PS");
    }

    private static String identifier(Reimbursement line) {
        return ReimbursementCsvReader.toExplanationOfBenefit(line, "Patient/1")
                .getIdentifierFirstRep()
                .getValue();
    }

    private static ExplanationOfBenefit strictRoundTrip(ExplanationOfBenefit eob) {
        String json = FHIR.newJsonParser().encodeResourceToString(eob);
        IParser strict = FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        return strict.parseResource(ExplanationOfBenefit.class, json);
    }

    private record Read(List<Reimbursement> lines, List<LineError> errors) {}

    private static Read read(Reader in) throws IOException, CsvException {
        Read read = new Read(new ArrayList<>(), new ArrayList<>());
        ReimbursementCsvReader.read(in, read.lines::add, read.errors::add);
        return read;
    }

    private static Reader fixture(String name) {
        InputStream bytes = ReimbursementCsvReaderTests.class.getResourceAsStream("/ingestion/csv/" + name);
        assertThat(bytes).as(name).isNotNull();
        return new InputStreamReader(bytes, StandardCharsets.UTF_8);
    }

    private static long retainedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A reimbursement file made on the fly as it is read: the test holds no more of it than the reader does. */
    private static final class GeneratedLines extends Reader {

        private final int count;
        private int written = -1;
        private String pending = "";
        private int offset;

        GeneratedLines(int count) {
            this.count = count;
        }

        @Override
        public int read(char[] chars, int from, int length) {
            if (offset == pending.length()) {
                if (written == count) {
                    return -1;
                }
                written++;
                pending = written == 0
                        ? HEADER + "\r\n"
                        : "258037505612368;2024-03-02;G;\"Consultation n° " + written
                                + "\";30,00;21,00;810001234567\r\n";
                offset = 0;
            }
            int n = Math.min(length, pending.length() - offset);
            pending.getChars(offset, offset + n, chars, from);
            offset += n;
            return n;
        }

        @Override
        public void close() {}
    }
}
