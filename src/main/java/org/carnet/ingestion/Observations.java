package org.carnet.ingestion;

import static org.carnet.ingestion.Hl7Segments.get;

import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.Terser;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OBX rows of a message sorted the way the French "transmission de documents CDA en HL7 v2" profile means
 * them: DMP metadata rows (coding system {@code MetaDMPMSS}, or one of its codes in the older examples that
 * omit the system), among which the visibility flags; the first ED row that is not metadata, which carries the
 * document; and the other non-ED rows, which are results. Other ED rows (a second document, a mail body) are
 * not read.
 */
final class Observations {

    private static final String METADATA_SYSTEM = "MetaDMPMSS";
    private static final Map<String, String> FLAGS = Map.of(
            "MASQUE_PS", "MASQUE_PS",
            "INVISIBLE_PATIENT", "INVISIBLE_PATIENT",
            "INVISIBLE_REP_LEGAUX", "INVISIBLE_REPRESENTANTS_LEGAUX",
            "INVISIBLE_REPRESENTANTS_LEGAUX", "INVISIBLE_REPRESENTANTS_LEGAUX");
    private static final Set<String> OTHER_METADATA = Set.of(
            "CONNEXION_SECRETE", "MODIF_CONF_CODE", "MODIF_CONFIDENTIALITYCODE", "DESTDMP", "DESTMSSANTEPS",
            "DESTMSSANTEPAT", "ACK_RECEPTION", "ACK_LECTURE_MSS", "ACK_LECTURE", "CORPSMAIL_PS", "CORPSMAIL_PATIENT",
            "COMP_LOT");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)");

    final List<Result> results = new ArrayList<>();
    final Set<String> flags = new LinkedHashSet<>();
    byte[] document;
    String documentMediaType;
    /** OBX-11 of the document row. */
    String documentStatus;
    /** OBX-3 of the document row. */
    Coding documentCode;

    private Observations() {}

    static Observations of(List<Segment> segments) throws Hl7Exception {
        Observations observations = new Observations();
        Instant orderObserved = null;
        int position = 0;
        for (Segment segment : segments) {
            if (segment.getName().equals("OBR")) {
                orderObserved = instant(segment, 7, "OBR-7");
            } else if (segment.getName().equals("OBX")) {
                position++;
                observations.add(segment, label(segment, position), orderObserved);
            }
        }
        return observations;
    }

    private void add(Segment obx, String label, Instant orderObserved) throws Hl7Exception {
        Coding code = coding(obx, 3);
        String type = get(obx, 2, 1);
        String codeValue = code == null ? null : code.code();
        boolean metadata = code != null
                && (METADATA_SYSTEM.equalsIgnoreCase(code.system()) || FLAGS.containsKey(codeValue)
                        || OTHER_METADATA.contains(codeValue));
        if (metadata) {
            if (FLAGS.containsKey(codeValue) && "Y".equalsIgnoreCase(get(obx, 5, 1))) {
                flags.add(FLAGS.get(codeValue));
            }
        } else if ("ED".equals(type)) {
            if (document == null) {
                document = decode(obx, label);
                documentMediaType = mediaType(get(obx, 5, 2), get(obx, 5, 3));
                documentStatus = get(obx, 11, 1);
                documentCode = code;
            }
        } else {
            String value = text(Hl7Segments.repetitions(obx, 5));
            Instant observed = instant(obx, 14, "OBX-14 (" + label + ")");
            results.add(new Result(code, type, value, numeric(obx, type, value), unit(obx), get(obx, 7, 1),
                    get(obx, 8, 1), get(obx, 11, 1), observed == null ? orderObserved : observed));
        }
    }

    private static byte[] decode(Segment obx, String label) throws Hl7Exception {
        String encoding = get(obx, 5, 4);
        String data = get(obx, 5, 5);
        if (data == null) {
            throw new Hl7Exception("OBX-5 of type ED has no data (" + label + ")");
        }
        String name = encoding == null ? "" : encoding.toUpperCase(Locale.ROOT);
        try {
            return switch (name) {
                case "BASE64" -> Base64.getDecoder().decode(data.strip());
                case "A" -> data.getBytes(StandardCharsets.UTF_8);
                case "HEX" -> HexFormat.of().parseHex(data.strip());
                default -> throw new Hl7Exception(
                        "OBX-5 of type ED has an unsupported encoding " + encoding + " (" + label + ")");
            };
        } catch (IllegalArgumentException e) {
            String expected = name.toLowerCase(Locale.ROOT);
            throw new Hl7Exception("OBX-5 of type ED is not valid " + expected + " (" + label + ")", e);
        }
    }

    /** An ED type of data (TEXT, AP, IM...) and subtype (XML, PDF...) as a media type. */
    private static String mediaType(String typeOfData, String subtype) {
        String type = switch (typeOfData == null ? "" : typeOfData.toUpperCase(Locale.ROOT)) {
            case "TEXT" -> "text";
            case "IM" -> "image";
            case "AU" -> "audio";
            case "MULTIPART" -> "multipart";
            default -> "application";
        };
        if (subtype == null) {
            return type.equals("text") ? "text/plain" : "application/octet-stream";
        }
        return type + "/" + subtype.toLowerCase(Locale.ROOT);
    }

    static Coding coding(Segment segment, int field) {
        String code = get(segment, field, 1);
        String display = get(segment, field, 2);
        String system = get(segment, field, 3);
        return code == null && display == null && system == null ? null : new Coding(system, code, display);
    }

    /** Components joined by {@code ^} (trailing empty ones dropped), repetitions by a line break. */
    private static String text(Type[] repetitions) {
        List<String> lines = new ArrayList<>();
        for (Type repetition : repetitions) {
            List<String> components = new ArrayList<>();
            int count = Terser.numComponents(repetition);
            for (int c = 1; c <= count; c++) {
                String value = Hl7Segments.get(repetition, c, 1);
                components.add(value == null ? "" : value);
            }
            while (!components.isEmpty() && components.getLast().isEmpty()) {
                components.removeLast();
            }
            if (!components.isEmpty()) {
                lines.add(String.join("^", components));
            }
        }
        return lines.isEmpty() ? null : String.join("\n", lines);
    }

    private static Double numeric(Segment obx, String type, String value) {
        String number = null;
        if ("NM".equals(type)) {
            number = value;
        } else if ("SN".equals(type)) {
            String comparator = get(obx, 5, 1);
            boolean plain = (comparator == null || comparator.equals("=")) && get(obx, 5, 3) == null
                    && get(obx, 5, 4) == null;
            number = plain ? get(obx, 5, 2) : null;
        }
        return number != null && DECIMAL.matcher(number.strip()).matches() ? Double.valueOf(number.strip()) : null;
    }

    private static String unit(Segment obx) {
        String code = get(obx, 6, 1);
        return code != null ? code : get(obx, 6, 2);
    }

    static Instant instant(Segment segment, int field, String where) throws Hl7Exception {
        try {
            return Hl7Time.instant(get(segment, field, 1));
        } catch (DateTimeException e) {
            throw new Hl7Exception("invalid HL7 timestamp in " + where, e);
        }
    }

    /** How a row is named in a reason: its set id, else its position. */
    private static String label(Segment obx, int position) {
        String setId = get(obx, 1, 1);
        return "OBX " + (setId != null ? setId : position);
    }
}
