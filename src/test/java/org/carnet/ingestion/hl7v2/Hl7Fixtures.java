package org.carnet.ingestion.hl7v2;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The HL7 v2 fixtures of src/test/resources/ingestion/hl7v2, and small helpers to look into messages. */
public final class Hl7Fixtures {

    /** The INS (NIR and key) of the fixtures' patient, and its test OID. */
    static final String INS = "258036912345621";

    static final String INS_TEST_OID = "1.2.250.1.213.1.4.8";

    private Hl7Fixtures() {}

    /** An ORU^R01 with three numeric results, shaped like the synthetic Hl7v2Writer's output. */
    static String numericOru() {
        return load("oru_numeric_results.hl7");
    }

    /** An ORU^R01 shaped like the ANS examples: a base64 CDA, a PRT, MASQUE_PS=Y; segments end with CR LF. */
    static String cdaOruMaskedFromProfessionals() {
        return load("oru_cda_masque_ps.hl7");
    }

    /** An MDM^T10 (v2.6) replacing a document, with TXA-12/13 and two invisibility flags; segments end with LF. */
    static String mdmReplacement() {
        return load("mdm_t10_replace.hl7");
    }

    /**
     * An ORU^R01 as a hospital lab sends it: a blood count (comma decimals, G/L and µmol/L units, a comment with
     * {@code \Xhh\} escapes, the report as a base64 PDF in an ED row) and a second order (CRP as SN {@code <^2}, a
     * titre {@code ^1^:^128}, coded CWE and CE values), with a ZBE movement; segments end with CR.
     */
    public static String oruWithPdfAndResults(byte[] pdf) {
        return load("oru_results_with_pdf.hl7")
                .replace("${PDF}", java.util.Base64.getEncoder().encodeToString(pdf));
    }

    /** An MDM^T02 (v2.5) carrying a discharge letter as a base64 PDF, TXA-12 its unique id. */
    public static String mdmPdfLetter(byte[] pdf) {
        return load("mdm_t02_pdf_letter.hl7")
                .replace("${PDF}", java.util.Base64.getEncoder().encodeToString(pdf));
    }

    /** An ORU^R01 carrying two CDA documents, one ED row each. */
    public static String oruTwoCdas(byte[] first, byte[] second) {
        return load("oru_two_cdas.hl7")
                .replace("${CDA1}", java.util.Base64.getEncoder().encodeToString(first))
                .replace("${CDA2}", java.util.Base64.getEncoder().encodeToString(second));
    }

    /** The segments of a message whatever its line ends, each split into fields. */
    static List<String[]> segments(String message) {
        return Arrays.stream(message.split("\r\n|\r|\n"))
                .filter(s -> !s.isBlank())
                .map(s -> s.split("\\|", -1))
                .toList();
    }

    /** Field {@code field} of the first segment named {@code name}, numbered as in HL7 (MSH-1 is the separator). */
    static String field(String message, String name, int field) {
        String[] segment = segments(message).stream()
                .filter(s -> s[0].equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " segment"));
        int index = name.equals("MSH") ? field - 1 : field;
        return index < segment.length ? segment[index] : "";
    }

    private static String load(String name) {
        try (InputStream in = Hl7Fixtures.class.getResourceAsStream("/ingestion/hl7v2/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
