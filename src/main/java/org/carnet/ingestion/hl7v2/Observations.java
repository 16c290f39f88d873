package org.carnet.ingestion.hl7v2;

import static org.carnet.ingestion.hl7v2.Hl7Segments.get;

import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.Terser;
import java.math.BigDecimal;
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
import org.carnet.ingestion.cda.Coding;
import org.carnet.ingestion.cda.Hl7Time;

/**
 * The OBX rows of a message sorted the way the French "transmission de documents CDA en HL7 v2" profile means
 * them: DMP metadata rows (coding system {@code MetaDMPMSS}, or one of its codes in the older examples that
 * omit the system), among which the visibility flags; ED rows that are not metadata, each a document (a CDA, a PDF,
 * a text, an image); and the other rows, which are results, grouped under the OBR they follow.
 */
final class Observations {

    private static final String METADATA_SYSTEM = "MetaDMPMSS";
    private static final Map<String, String> FLAGS = Map.of(
            "MASQUE_PS", "MASQUE_PS",
            "INVISIBLE_PATIENT", "INVISIBLE_PATIENT",
            "INVISIBLE_REP_LEGAUX", "INVISIBLE_REPRESENTANTS_LEGAUX",
            "INVISIBLE_REPRESENTANTS_LEGAUX", "INVISIBLE_REPRESENTANTS_LEGAUX");
    private static final Set<String> OTHER_METADATA = Set.of(
            "CONNEXION_SECRETE",
            "MODIF_CONF_CODE",
            "MODIF_CONFIDENTIALITYCODE",
            "DESTDMP",
            "DESTMSSANTEPS",
            "DESTMSSANTEPAT",
            "ACK_RECEPTION",
            "ACK_LECTURE_MSS",
            "ACK_LECTURE",
            "CORPSMAIL_PS",
            "CORPSMAIL_PATIENT",
            "COMP_LOT");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+([.,]\\d*)?|[.,]\\d+)");

    final List<LabOrder> orders = new ArrayList<>();
    final List<EmbeddedDocument> documents = new ArrayList<>();
    final Set<String> flags = new LinkedHashSet<>();

    private Observations() {}

    static Observations of(List<Segment> segments) throws Hl7Exception {
        Observations observations = new Observations();
        Segment obr = null;
        Instant orderObserved = null;
        List<Result> results = new ArrayList<>();
        int position = 0;
        for (Segment segment : segments) {
            if (segment.getName().equals("OBR")) {
                observations.close(obr, orderObserved, results);
                obr = segment;
                orderObserved = instant(segment, 7, "OBR-7");
                results = new ArrayList<>();
            } else if (segment.getName().equals("OBX")) {
                position++;
                int order = obr == null ? -1 : observations.orders.size();
                observations.add(segment, label(segment, position), orderObserved, results, order);
            }
        }
        observations.close(obr, orderObserved, results);
        return observations;
    }

    /** The order read so far, kept when it is an OBR or holds results (an MDM's rows may come without an OBR). */
    private void close(
            @org.jspecify.annotations.Nullable Segment obr,
            @org.jspecify.annotations.Nullable Instant observed,
            List<Result> results) {
        if (obr == null && results.isEmpty()) {
            return;
        }
        orders.add(
                obr == null
                        ? new LabOrder(null, null, null, null, results)
                        : new LabOrder(get(obr, 2, 1), get(obr, 3, 1), coding(obr, 4), observed, results));
    }

    private void add(
            Segment obx,
            String label,
            @org.jspecify.annotations.Nullable Instant orderObserved,
            List<Result> results,
            int order)
            throws Hl7Exception {
        Coding code = coding(obx, 3);
        String type = get(obx, 2, 1);
        String codeValue = code == null ? null : code.code();
        boolean metadata = code != null
                && (METADATA_SYSTEM.equalsIgnoreCase(code.system())
                        || FLAGS.containsKey(codeValue)
                        || OTHER_METADATA.contains(codeValue));
        if (metadata) {
            if (FLAGS.containsKey(codeValue) && "Y".equalsIgnoreCase(get(obx, 5, 1))) {
                flags.add(FLAGS.get(codeValue));
            }
        } else if ("ED".equals(type)) {
            byte[] content = decode(obx, label);
            String declared = mediaType(get(obx, 5, 2), get(obx, 5, 3));
            documents.add(new EmbeddedDocument(
                    content, EmbeddedDocument.mediaType(content, declared), label, code, get(obx, 11, 1), order));
        } else {
            Type[] repetitions = Hl7Segments.repetitions(obx, 5);
            String value = text(repetitions);
            Instant observed = instant(obx, 14, "OBX-14 (" + label + ")");
            results.add(new Result(
                    code,
                    type,
                    value,
                    components(repetitions),
                    numeric(obx, type, value),
                    get(obx, 6, 1),
                    get(obx, 6, 2),
                    get(obx, 6, 3),
                    get(obx, 7, 1),
                    get(obx, 8, 1),
                    get(obx, 11, 1),
                    observed == null ? orderObserved : observed));
        }
    }

    /** The first document row, whose OBX-11 and OBX-3 say what the message does and with which type. */
    @org.jspecify.annotations.Nullable
    EmbeddedDocument firstDocument() {
        return documents.isEmpty() ? null : documents.get(0);
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
                default ->
                    throw new Hl7Exception(
                            "OBX-5 of type ED has an unsupported encoding " + encoding + " (" + label + ")");
            };
        } catch (IllegalArgumentException e) {
            String expected = name.toLowerCase(Locale.ROOT);
            throw new Hl7Exception("OBX-5 of type ED is not valid " + expected + " (" + label + ")", e);
        }
    }

    /** An ED type of data (TEXT, AP, IM...) and subtype (XML, PDF...) as a media type. */
    private static String mediaType(
            @org.jspecify.annotations.Nullable String typeOfData, @org.jspecify.annotations.Nullable String subtype) {
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

    static @org.jspecify.annotations.Nullable Coding coding(Segment segment, int field) {
        String code = get(segment, field, 1);
        String display = get(segment, field, 2);
        String system = get(segment, field, 3);
        return code == null && display == null && system == null ? null : new Coding(system, code, display);
    }

    /** Components joined by {@code ^} (trailing empty ones dropped), repetitions by a line break. */
    private static @org.jspecify.annotations.Nullable String text(Type[] repetitions) {
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

    private static @org.jspecify.annotations.Nullable BigDecimal numeric(
            Segment obx,
            @org.jspecify.annotations.Nullable String type,
            @org.jspecify.annotations.Nullable String value) {
        String number = null;
        if ("NM".equals(type)) {
            number = value;
        } else if ("SN".equals(type)) {
            String comparator = get(obx, 5, 1);
            boolean plain =
                    (comparator == null || comparator.equals("=")) && get(obx, 5, 3) == null && get(obx, 5, 4) == null;
            number = plain ? get(obx, 5, 2) : null;
        }
        return decimal(number);
    }

    /** A decimal as French labs write it too ({@code 5,8}); null when the text is not one number. */
    static @org.jspecify.annotations.Nullable BigDecimal decimal(@org.jspecify.annotations.Nullable String text) {
        if (text == null || !DECIMAL.matcher(text.strip()).matches()) {
            return null;
        }
        return new BigDecimal(text.strip().replace(',', '.'));
    }

    /** The components of a value's first repetition, escapes resolved, empty ones as null. */
    private static List<String> components(Type[] repetitions) {
        if (repetitions.length == 0) {
            return List.of();
        }
        List<String> components = new ArrayList<>();
        int count = Terser.numComponents(repetitions[0]);
        for (int c = 1; c <= count; c++) {
            components.add(Hl7Segments.get(repetitions[0], c, 1));
        }
        while (!components.isEmpty() && components.getLast() == null) {
            components.removeLast();
        }
        return components;
    }

    static @org.jspecify.annotations.Nullable Instant instant(Segment segment, int field, String where)
            throws Hl7Exception {
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
