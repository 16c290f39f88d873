package org.carnet.synthetic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * The insurer's reimbursement history as CSV: the file format Carnet's insurer connector will ingest, and the
 * one the generator writes so that connector has data to read.
 *
 * <p>Format: UTF-8 without byte-order mark; one header line, then one line per reimbursed act; fields separated
 * by {@code ;}; every line, the last included, ended by CRLF; a field containing {@code ;}, {@code "}, CR or LF
 * is enclosed in double quotes with its quotes doubled (RFC 4180). Columns, in this order:
 *
 * <table>
 *   <caption>Columns</caption>
 *   <tr><th>column</th><th>content</th><th>example</th></tr>
 *   <tr><td>{@code nir}</td><td>the insured person's matricule, 15 characters (13 + key)</td>
 *       <td>{@code 258037505612345}</td></tr>
 *   <tr><td>{@code date_soins}</td><td>date of care, ISO {@code yyyy-MM-dd}</td><td>{@code 2024-07-15}</td></tr>
 *   <tr><td>{@code code_acte}</td><td>the billed act's code (NGAP letter key or CCAM code)</td>
 *       <td>{@code G}</td></tr>
 *   <tr><td>{@code libelle}</td><td>the act's label, free text</td><td>{@code Consultation}</td></tr>
 *   <tr><td>{@code montant}</td><td>amount billed in euros, two decimals, decimal comma, no grouping</td>
 *       <td>{@code 30,00}</td></tr>
 *   <tr><td>{@code montant_rembourse}</td><td>amount the insurer reimbursed, same format</td>
 *       <td>{@code 21,00}</td></tr>
 *   <tr><td>{@code idnat_ps}</td><td>IdNat_PS of the professional who performed the act ({@code 8} + RPPS);
 *       empty when unknown</td><td>{@code 810001234567}</td></tr>
 * </table>
 *
 * <p>Deterministic: lines come in the record's order and depend only on it and the directory. Writing to the
 * {@link Appendable} may fail; the {@link IOException} is rethrown as {@link UncheckedIOException}. Stateless
 * apart from the directory it reads, hence thread-safe.
 */
final class ReimbursementCsv {

    static final List<String> COLUMNS =
            List.of("nir", "date_soins", "code_acte", "libelle", "montant", "montant_rembourse", "idnat_ps");
    private static final String SEPARATOR = ";";
    private static final String LINE_END = "\r\n";

    private final Directory directory;

    /** @param directory resolves each reimbursement's practitioner key to an IdNat_PS */
    ReimbursementCsv(Directory directory) {
        this.directory = directory;
    }

    /** The header line, with its line end. */
    static String header() {
        return String.join(SEPARATOR, COLUMNS) + LINE_END;
    }

    /** Appends one line per reimbursement of the patient; nothing when there is none. */
    void append(Model.PatientRecord patient, Appendable out) {
        try {
            for (Model.Reimbursement reimbursement : patient.reimbursements()) {
                out.append(line(patient.identity().nir(), reimbursement));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String line(String nir, Model.Reimbursement reimbursement) {
        // Arrays.asList, not List.of: a label may be missing, and an empty field is better than no line
        List<String> fields = Arrays.asList(
                nir,
                reimbursement.date().format(DateTimeFormatter.ISO_LOCAL_DATE),
                reimbursement.act(),
                reimbursement.label(),
                euros(reimbursement.amount()),
                euros(reimbursement.reimbursed()),
                idNatPs(reimbursement.practitionerKey()));
        StringBuilder line = new StringBuilder(96);
        for (String field : fields) {
            line.append(line.isEmpty() ? "" : SEPARATOR).append(quoted(field));
        }
        return line.append(LINE_END).toString();
    }

    private String idNatPs(String practitionerKey) {
        Model.Professional professional = practitionerKey == null ? null : directory.professional(practitionerKey);
        return professional == null ? "" : professional.idNatPs();
    }

    /** Two decimals with a comma, whatever the JVM's locale: the insurer's files are French. */
    static String euros(double amount) {
        return BigDecimal.valueOf(amount)
                .setScale(2, RoundingMode.HALF_UP)
                .toPlainString()
                .replace('.', ',');
    }

    static String quoted(String field) {
        if (field == null) {
            return "";
        }
        boolean needsQuotes =
                field.contains(SEPARATOR) || field.contains("\"") || field.contains("\n") || field.contains("\r");
        return needsQuotes ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
