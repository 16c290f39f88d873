package org.carnet.ingestion.cda;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * Reads HL7 v3 TS values ({@code YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]}, e.g. {@code 20230415103000+0200}).
 *
 * <p>A value without an offset is French local time (Europe/Paris); a value coarser than a second stands for the
 * start of its period (a date alone is midnight in Paris). One leniency: a three-digit offset such as {@code +100}
 * is read as {@code +01:00}, because the ANS's own CI-SIS examples (BIO-TROD) write it so and it has only one sensible
 * reading. Anything else that is not a valid TS, or names an impossible date, is refused naming the element.
 */
public final class Hl7Time {

    /** The zone of HL7 times written without an offset (French systems). */
    public static final ZoneId FRANCE = org.carnet.ingestion.Connector.FRANCE;

    private static final Pattern TS = Pattern.compile(
            "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.(\\d{1,9}))?(?:([+-])(\\d{1,2}?)(\\d{2}))?");

    private Hl7Time() {}

    /** The instant {@code element/@value} stands for; null when the element or its value is absent. */
    static @org.jspecify.annotations.Nullable Instant instant(
            @org.jspecify.annotations.Nullable Element element, String where) throws CdaException {
        String value = Hl7Xml.attribute(element, "value");
        return value == null ? null : parse(value, where).instant();
    }

    /**
     * The calendar date of {@code element/@value} as written (its offset does not move the day); null when absent,
     * and when the value is coarser than a day, since a birth date with an invented day would be a wrong trait.
     */
    static @org.jspecify.annotations.Nullable LocalDate date(
            @org.jspecify.annotations.Nullable Element element, String where) throws CdaException {
        String value = Hl7Xml.attribute(element, "value");
        if (value == null) {
            return null;
        }
        Parsed parsed = parse(value, where);
        return parsed.hasDay() ? parsed.local().toLocalDate() : null;
    }

    /** The instant of an HL7 v2 DTM or CDA TS; null for null; {@link DateTimeException} when it is not one. */
    public static @org.jspecify.annotations.Nullable Instant instant(@org.jspecify.annotations.Nullable String value) {
        return value == null ? null : parsed(value).instant();
    }

    /** The day of a DTM or TS known at least to the day; null when it is null or less precise. */
    public static @org.jspecify.annotations.Nullable LocalDate date(@org.jspecify.annotations.Nullable String value) {
        if (value == null) {
            return null;
        }
        Parsed parsed = parsed(value);
        return parsed.hasDay() ? parsed.local().toLocalDate() : null;
    }

    private static Parsed parse(String value, String where) throws CdaException {
        try {
            return parsed(value);
        } catch (DateTimeException e) {
            throw malformed(value, where, NOT_HL7.equals(e.getMessage()) ? null : e);
        }
    }

    private static final String NOT_HL7 = "not an HL7 timestamp";

    private static Parsed parsed(String value) {
        Matcher m = TS.matcher(value.strip());
        if (!m.matches() || (m.group(7) != null && m.group(6) == null)) {
            throw new DateTimeException(NOT_HL7);
        }
        LocalDateTime local = LocalDateTime.of(
                Integer.parseInt(m.group(1)),
                number(m.group(2), 1),
                number(m.group(3), 1),
                number(m.group(4), 0),
                number(m.group(5), 0),
                number(m.group(6), 0),
                nanos(m.group(7)));
        ZoneId zone = m.group(8) == null
                ? FRANCE
                : ZoneOffset.ofHoursMinutes(
                        sign(m.group(8)) * Integer.parseInt(m.group(9)),
                        sign(m.group(8)) * Integer.parseInt(m.group(10)));
        return new Parsed(local, zone, m.group(3) != null);
    }

    private static int number(String digits, int absent) {
        return digits == null ? absent : Integer.parseInt(digits);
    }

    private static int nanos(String fraction) {
        return fraction == null ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
    }

    private static int sign(String sign) {
        return "-".equals(sign) ? -1 : 1;
    }

    private static CdaException malformed(
            String value, String where, @org.jspecify.annotations.Nullable DateTimeException cause) {
        String reason = "malformed date in " + where + ": \"" + value + "\" is not an HL7 timestamp"
                + " (YYYYMMDD[HHMM[SS]][+ZZZZ], e.g. 20230415103000+0200)"
                + (cause == null ? "" : ": " + cause.getMessage());
        return new CdaException(reason, cause);
    }

    private record Parsed(LocalDateTime local, ZoneId zone, boolean hasDay) {

        Instant instant() {
            return local.atZone(zone).toInstant();
        }
    }
}
