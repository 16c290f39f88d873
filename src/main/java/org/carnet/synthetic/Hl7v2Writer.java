package org.carnet.synthetic;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes lab results as an HL7 v2.5 {@code ORU^R01} message, the way a French laboratory system sends them to a
 * hospital or a record: {@code MSH PID PV1 ORC OBR OBX*}, segments ended by {@code \r}.
 *
 * <p>Contract: the message depends only on the arguments (its time is the first result's); identities follow
 * the French extensions seen in the ANS examples: PID-3 carries the INS as
 * {@code matricule^^^ASIP-SANTE-INS-NIR&<OID>&ISO^INS} with the record's own (test or demo) OID, PID-5 the birth
 * name (type {@code L}) then the used name ({@code D}), PID-32 the RNIV identity status, and the orderer is
 * identified by IdNat_PS ({@code ASIP-SANTE-PS&1.2.250.1.71.4.2.1&ISO}, type {@code IDNPS}). Each result is one
 * numeric OBX with its LOINC code, UCUM unit, reference range and an H/L/N flag computed from that range. Every
 * text value is escaped ({@code \F\ \S\ \T\ \R\ \E\}) and line breaks become spaces. {@code results} must not be
 * empty and their values must be finite. Stateless, hence thread-safe.
 */
final class Hl7v2Writer {

    static final String INS_NIA_OID = "1.2.250.1.213.1.4.9";
    private static final String IDNAT_PS_AUTHORITY = "ASIP-SANTE-PS&1.2.250.1.71.4.2.1&ISO";
    private static final String SENDING_APPLICATION = "CARNET-SYNTH";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    String oru(
            Model.PatientRecord patient,
            List<Model.Measurement> results,
            Model.Professional orderer,
            Model.Organisation laboratory,
            String controlId) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("an ORU^R01 carries at least one result");
        }
        LocalDateTime first = results.get(0).at();
        LocalDateTime last = results.stream()
                .map(Model.Measurement::at)
                .max(LocalDateTime::compareTo)
                .orElse(first);
        String placer = components(escape(controlId), SENDING_APPLICATION);
        String filler = components(escape(controlId), laboratory.finess());

        StringBuilder message = new StringBuilder(1024);
        message.append(msh(laboratory, first, controlId));
        message.append(pid(patient.identity()));
        message.append(new Segment("PV1").set(1, "1").set(2, "O"));
        message.append(new Segment("ORC")
                .set(1, "RE")
                .set(2, placer)
                .set(3, filler)
                .set(9, timestamp(first))
                .set(12, professional(orderer)));
        message.append(new Segment("OBR")
                .set(1, "1")
                .set(2, placer)
                .set(3, filler)
                .set(4, components(Model.DocKind.CR_BIOLOGIE.loinc, escape(Model.DocKind.CR_BIOLOGIE.label), "LN"))
                .set(7, timestamp(first))
                .set(16, professional(orderer))
                .set(22, timestamp(last))
                .set(25, "F"));
        for (int i = 0; i < results.size(); i++) {
            message.append(obx(i + 1, results.get(i)));
        }
        return message.toString();
    }

    private static Segment msh(Model.Organisation laboratory, LocalDateTime at, String controlId) {
        return new Segment("MSH")
                .set(3, SENDING_APPLICATION)
                .set(4, escape(laboratory.finess()))
                .set(5, "CARNET")
                .set(6, "CARNET")
                .set(7, timestamp(at))
                .set(9, "ORU^R01^ORU_R01")
                .set(10, escape(controlId))
                .set(11, "P")
                .set(12, "2.5")
                .set(17, "FRA")
                .set(18, "UNICODE UTF-8");
    }

    private static Segment pid(Model.Identity who) {
        boolean nia = INS_NIA_OID.equals(who.insOid());
        String authority = (nia ? "ASIP-SANTE-INS-NIA" : "ASIP-SANTE-INS-NIR") + "&" + escape(who.insOid()) + "&ISO";
        String first = escape(who.firstGiven());
        String birthName = components(
                escape(who.birthFamily()), first, escape(String.join(" ", who.birthGivens())), "", "", "", "L");
        String usedName = components(
                escape(Optional.ofNullable(who.usedFamily()).orElse(who.birthFamily())), first, "", "", "", "", "D");
        List<String> addresses = new ArrayList<>();
        if (who.address() != null) {
            Model.Address a = who.address();
            addresses.add(components(escape(a.line()), "", escape(a.city()), "", escape(a.postalCode()), "FRA", "H"));
        }
        if (who.birthplaceInsee() != null) {
            // the French PAM profile carries the birthplace as an address of type BDL with the INSEE code
            addresses.add(components("", "", "", "", "", "", "BDL", "", escape(who.birthplaceInsee())));
        }
        return new Segment("PID")
                .set(1, "1")
                .set(3, components(escape(who.nir()), "", "", authority, "INS"))
                .set(5, birthName + "~" + usedName)
                .set(7, who.birthDate().format(DAY))
                .set(8, who.sex() == Model.Sex.MALE ? "M" : "F")
                .set(11, String.join("~", addresses))
                .set(32, who.status().name());
    }

    private static Segment obx(int setId, Model.Measurement result) {
        return new Segment("OBX")
                .set(1, Integer.toString(setId))
                .set(2, "NM")
                .set(3, components(escape(result.loinc()), escape(result.label()), "LN"))
                .set(5, number(result.value()))
                .set(6, components(escape(result.ucum()), escape(result.unit()), "UCUM"))
                .set(7, range(result.low(), result.high()))
                .set(8, flag(result))
                .set(11, "F")
                .set(14, timestamp(result.at()));
    }

    /** The orderer as an XCN: IdNat_PS, names, the IdNat_PS authority, legal name type, type code IDNPS. */
    private static String professional(Model.Professional who) {
        return components(
                who.idNatPs(),
                escape(who.family()),
                escape(who.given()),
                "",
                "",
                "",
                "",
                "",
                IDNAT_PS_AUTHORITY,
                "D",
                "",
                "",
                "IDNPS");
    }

    private static String range(
            @org.jspecify.annotations.Nullable Double low, @org.jspecify.annotations.Nullable Double high) {
        if (low != null && high != null) {
            return number(low) + "-" + number(high);
        }
        if (low != null) {
            return ">" + number(low);
        }
        return high != null ? "<" + number(high) : "";
    }

    /** H or L outside the reference range, N inside it, nothing when the result has no range. */
    static String flag(Model.Measurement result) {
        if (result.low() == null && result.high() == null) {
            return "";
        }
        if (result.low() != null && result.value() < result.low()) {
            return "L";
        }
        return result.high() != null && result.value() > result.high() ? "H" : "N";
    }

    /** An NM value: a period as decimal mark whatever the locale, no exponent, no trailing zeros. */
    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String timestamp(LocalDateTime at) {
        return at.format(TIMESTAMP);
    }

    /** Joins already-escaped components with {@code ^}, dropping the empty trailing ones. */
    private static String components(String... values) {
        int last = values.length;
        while (last > 0 && (values[last - 1] == null || values[last - 1].isEmpty())) {
            last--;
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < last; i++) {
            joined.append(i == 0 ? "" : "^").append(values[i] == null ? "" : values[i]);
        }
        return joined.toString();
    }

    /** HL7 v2 escaping of the delimiters; the escape character goes first so it is not escaped twice. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\E\\");
                case '|' -> escaped.append("\\F\\");
                case '^' -> escaped.append("\\S\\");
                case '&' -> escaped.append("\\T\\");
                case '~' -> escaped.append("\\R\\");
                // a raw CR would end the segment; ST fields have no line-break escape
                case '\r', '\n' -> escaped.append(' ');
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** One segment, its fields set by HL7 position; MSH counts its field separator as field 1. */
    private static final class Segment {

        private final String name;
        private final List<String> fields = new ArrayList<>();

        Segment(String name) {
            this.name = name;
            if (name.equals("MSH")) {
                set(2, "^~\\&");
            }
        }

        Segment set(int position, String value) {
            while (fields.size() < position) {
                fields.add("");
            }
            fields.set(position - 1, value);
            return this;
        }

        @Override
        public String toString() {
            StringBuilder segment = new StringBuilder(name);
            int firstField = name.equals("MSH") ? 1 : 0;
            for (int i = firstField; i < fields.size(); i++) {
                segment.append('|').append(fields.get(i));
            }
            return segment.append('\r').toString();
        }
    }
}
