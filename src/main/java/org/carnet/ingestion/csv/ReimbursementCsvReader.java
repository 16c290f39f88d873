package org.carnet.ingestion.csv;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.carnet.identity.Ins;
import org.carnet.identity.InvalidInsException;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;

/**
 * Reads the insurer's reimbursement history: a UTF-8 CSV file, {@code ;}-separated, RFC 4180 quotes, one header
 * line naming the columns {@code nir;date_soins;code_acte;libelle;montant;montant_rembourse;idnat_ps}, then one
 * line per reimbursed act (dates {@code yyyy-MM-dd}, amounts in euros with a decimal comma, an empty
 * {@code idnat_ps} when the professional is unknown). It is the format the synthetic generator writes, CRLF line
 * ends and no byte-order mark; a byte-order mark and LF or CR line ends are accepted as well.
 *
 * <p>Each data line becomes a {@link Reimbursement} or a {@link LineError}; a wrong line does not stop the reading.
 * Blank lines are skipped. Stateless, hence thread-safe; the consumers are called on the reading thread.
 */
final class ReimbursementCsvReader {

    static final String HEADER = "nir;date_soins;code_acte;libelle;montant;montant_rembourse;idnat_ps";

    private static final List<String> COLUMNS = List.of(HEADER.split(";"));
    private static final Pattern AMOUNT = Pattern.compile("-?\\d{1,12}(,\\d{1,2})?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final DateTimeFormatter ISO_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    private ReimbursementCsvReader() {}

    /**
     * Streams {@code in} line by line: memory holds one line, never the file. The header is checked first. The
     * caller closes {@code in}.
     *
     * @param lines receives each line read, in file order
     * @param errors receives each line that could not be read, with its line number and the reason
     * @throws CsvException when the input is empty or its first line is not the expected header
     */
    public static void read(Reader in, Consumer<Reimbursement> lines, Consumer<LineError> errors)
            throws IOException, CsvException {
        CsvLines csv = new CsvLines(in, ';');
        CsvLines.Line header = csv.next();
        if (header == null) {
            throw new CsvException("empty file: expected the header line " + HEADER);
        }
        if (header.fault() != null || !header.fields().equals(COLUMNS)) {
            String found = String.join(";", header.fields());
            throw new CsvException("wrong header: expected " + HEADER + ", found '"
                    + (found.length() > 200 ? found.substring(0, 200) + "…" : found) + "'");
        }
        for (CsvLines.Line line = csv.next(); line != null; line = csv.next()) {
            if (line.fault() == null
                    && line.fields().size() == 1
                    && line.fields().getFirst().isBlank()) {
                continue;
            }
            List<String> problems = new ArrayList<>();
            Reimbursement reimbursement = parse(line, problems);
            if (reimbursement != null) {
                lines.accept(reimbursement);
            } else {
                errors.accept(new LineError(line.number(), String.join("; ", problems)));
            }
        }
    }

    /**
     * The FHIR R4 ExplanationOfBenefit for one line (see {@link ReimbursementToFhir} for the mapping and the
     * identifier).
     *
     * @param patientReference the patient the line is about, as a reference such as {@code Patient/123}
     */
    public static ExplanationOfBenefit toExplanationOfBenefit(Reimbursement line, String patientReference) {
        return ReimbursementToFhir.explanationOfBenefit(line, patientReference);
    }

    private static @org.jspecify.annotations.Nullable Reimbursement parse(CsvLines.Line line, List<String> problems) {
        if (line.fault() != null) {
            problems.add((line.faultyField() >= 0 ? column(line.faultyField()) + ": " : "") + line.fault());
            return null;
        }
        List<String> fields = line.fields();
        if (fields.size() != COLUMNS.size()) {
            problems.add("expected " + COLUMNS.size() + " fields separated by ';', found " + fields.size()
                    + (fields.size() > COLUMNS.size() ? " (is a field holding ';' not quoted?)" : ""));
            return null;
        }
        String nir = nir(fields.get(0).strip(), problems);
        LocalDate careDate = date(fields.get(1).strip(), problems);
        String actCode = required(2, fields.get(2).strip(), problems);
        String label = fields.get(3).isBlank() ? null : fields.get(3);
        BigDecimal billed = amount(4, fields.get(4).strip(), problems);
        BigDecimal reimbursed = amount(5, fields.get(5).strip(), problems);
        String idNatPs = idNatPs(fields.get(6).strip(), problems);
        if (!problems.isEmpty()
                || nir == null
                || careDate == null
                || actCode == null
                || billed == null
                || reimbursed == null) {
            return null; // each missing value has its problem
        }
        return new Reimbursement(nir, careDate, actCode, label, billed, reimbursed, idNatPs);
    }

    private static @org.jspecify.annotations.Nullable String nir(String value, List<String> problems) {
        if (required(0, value, problems) == null) {
            return null;
        }
        try {
            return Ins.parse(value, Ins.Kind.NIR).matricule();
        } catch (InvalidInsException e) {
            problems.add(column(0) + ": '" + value + "' is not a NIR: " + e.getMessage());
            return null;
        }
    }

    private static @org.jspecify.annotations.Nullable LocalDate date(String value, List<String> problems) {
        if (required(1, value, problems) == null) {
            return null;
        }
        try {
            if (DATE.matcher(value).matches()) {
                return LocalDate.parse(value, ISO_DATE);
            }
        } catch (DateTimeParseException e) {
            // the shape is right but the day does not exist (2024-02-30): same answer as a wrong shape
        }
        problems.add(column(1) + ": '" + value + "' is not a date (yyyy-MM-dd)");
        return null;
    }

    private static @org.jspecify.annotations.Nullable BigDecimal amount(
            int index, String value, List<String> problems) {
        if (required(index, value, problems) == null) {
            return null;
        }
        if (!AMOUNT.matcher(value).matches()) {
            problems.add(
                    column(index) + ": '" + value + "' is not an amount (euros with a decimal comma, as in 30,00)");
            return null;
        }
        return new BigDecimal(value.replace(',', '.')).setScale(2);
    }

    private static @org.jspecify.annotations.Nullable String idNatPs(String value, List<String> problems) {
        if (value.isEmpty()) {
            return null;
        }
        if (!Reimbursement.ID_NAT_PS.matcher(value).matches()) {
            problems.add(column(6) + ": '" + value
                    + "' is not an IdNat_PS (8 and the 11-digit RPPS, or 0 and the 9-digit ADELI)");
            return null;
        }
        return value;
    }

    private static @org.jspecify.annotations.Nullable String required(int index, String value, List<String> problems) {
        if (value.isEmpty()) {
            problems.add(column(index) + ": missing");
            return null;
        }
        return value;
    }

    private static String column(int index) {
        return index < COLUMNS.size() ? "column " + COLUMNS.get(index) : "field " + (index + 1);
    }
}
