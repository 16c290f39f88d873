package org.carnet.ingestion.hl7v2;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import org.carnet.ingestion.cda.Coding;
import org.carnet.ingestion.cda.Hl7Time;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * An OBX value as FHIR means it, so results can be trended and compared: {@code NM} a {@code valueQuantity} with a
 * decimal (a comma read as the decimal mark); {@code SN} a quantity with its comparator ({@code <^2}), a ratio
 * ({@code ^1^:^128}) or a range ({@code ^2^-^5}); {@code CE}/{@code CWE}/{@code CNE} a {@code valueCodeableConcept};
 * {@code TS}/{@code DTM} a dateTime; text, and anything that does not read as its type says, a {@code valueString}
 * with the value as sent (nothing is dropped).
 *
 * <p>A unit is labelled UCUM only when it is one: French labs' own spellings ({@code µmol/L}, {@code G/L},
 * {@code UI/L}) are mapped to their UCUM code with the lab's spelling kept as the unit's text; a unit that is neither
 * stays text only. {@code G/L} is checked before the UCUM grammar, where it would read as gauss per litre.
 * Thread-safe: the UCUM service is read-only once loaded.
 */
final class ResultValues {

    static final String UCUM = "http://unitsofmeasure.org";

    /** French laboratory spellings and their UCUM code. */
    private static final Map<String, String> FRENCH_UNITS = Map.ofEntries(
            Map.entry("G/L", "10*9/L"),
            Map.entry("T/L", "10*12/L"),
            Map.entry("G/l", "10*9/L"),
            Map.entry("T/l", "10*12/L"),
            Map.entry("µmol/L", "umol/L"),
            Map.entry("µmol/l", "umol/L"),
            Map.entry("µg/L", "ug/L"),
            Map.entry("µg/l", "ug/L"),
            Map.entry("µg/mL", "ug/mL"),
            Map.entry("µL", "uL"),
            Map.entry("µm3", "um3"),
            Map.entry("UI/L", "[IU]/L"),
            Map.entry("UI/l", "[IU]/L"),
            Map.entry("UI/mL", "[IU]/mL"),
            Map.entry("mUI/L", "m[IU]/L"),
            Map.entry("mUI/mL", "m[IU]/mL"),
            Map.entry("µUI/mL", "u[IU]/mL"),
            Map.entry("g/l", "g/L"),
            Map.entry("mg/l", "mg/L"),
            Map.entry("mmol/l", "mmol/L"),
            Map.entry("sec", "s"),
            Map.entry("mmHg", "mm[Hg]"),
            Map.entry("mL/min/1,73m²", "mL/min/{1.73_m2}"),
            Map.entry("mL/min/1.73m²", "mL/min/{1.73_m2}"),
            Map.entry("mL/min/1,73 m²", "mL/min/{1.73_m2}"));

    private static final UcumEssenceService UCUM_SERVICE = load();

    private ResultValues() {}

    private static UcumEssenceService load() {
        try (InputStream in = UcumEssenceService.class.getResourceAsStream("/ucum-essence.xml")) {
            if (in == null) {
                throw new IllegalStateException("ucum-essence.xml is missing from the class path");
            }
            return new UcumEssenceService(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UcumException e) {
            throw new IllegalStateException("cannot load the UCUM definitions", e);
        }
    }

    /** The FHIR value of a result, or null when it has none. */
    static @org.jspecify.annotations.Nullable Type of(Result result) {
        String type = result.valueType() == null ? "" : result.valueType().toUpperCase(Locale.ROOT);
        Type value = switch (type) {
            case "NM" -> result.numeric() == null ? null : quantity(result.numeric(), result);
            case "SN" -> structuredNumeric(result);
            case "CE", "CWE", "CNE", "CF" -> codeableConcept(result);
            case "TS", "DTM", "DT" -> dateTime(result.value());
            default -> null;
        };
        if (value == null && result.value() != null) {
            return new StringType(result.value());
        }
        return value;
    }

    private static @org.jspecify.annotations.Nullable Type structuredNumeric(Result result) {
        String comparator = result.component(1);
        BigDecimal first = Observations.decimal(result.component(2));
        String separator = result.component(3);
        BigDecimal second = Observations.decimal(result.component(4));
        if (first == null) {
            return null;
        }
        if (separator == null && second == null) {
            Quantity quantity = quantity(first, result);
            if (comparator == null || comparator.equals("=")) {
                return quantity;
            }
            Quantity.QuantityComparator fhir = switch (comparator) {
                case "<" -> Quantity.QuantityComparator.LESS_THAN;
                case "<=" -> Quantity.QuantityComparator.LESS_OR_EQUAL;
                case ">" -> Quantity.QuantityComparator.GREATER_THAN;
                case ">=" -> Quantity.QuantityComparator.GREATER_OR_EQUAL;
                default -> null;
            };
            return fhir == null ? null : quantity.setComparator(fhir);
        }
        if (second == null || comparator != null && !comparator.equals("=")) {
            return null;
        }
        return switch (separator == null ? "" : separator) {
            case ":", "/" ->
                new Ratio()
                        .setNumerator(new Quantity().setValue(first))
                        .setDenominator(new Quantity().setValue(second));
            case "-" -> new Range().setLow(quantity(first, result)).setHigh(quantity(second, result));
            default -> null;
        };
    }

    private static @org.jspecify.annotations.Nullable CodeableConcept codeableConcept(Result result) {
        String code = result.component(1);
        String display = result.component(2);
        if (code == null && display == null) {
            return null;
        }
        CodeableConcept concept = new CodeableConcept();
        concept.addCoding(new Coding(result.component(3), code, display).toFhir());
        if (result.component(4) != null) {
            concept.addCoding(new Coding(result.component(6), result.component(4), result.component(5)).toFhir());
        }
        // CWE-9 is the original text; else the display is what a reader sees.
        String text = result.component(9) != null ? result.component(9) : display;
        return text == null ? concept : concept.setText(text);
    }

    private static @org.jspecify.annotations.Nullable Type dateTime(@org.jspecify.annotations.Nullable String value) {
        try {
            var instant = Hl7Time.instant(value);
            return instant == null ? null : new DateTimeType(java.util.Date.from(instant));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** A quantity in the result's unit, labelled UCUM only when the unit is one. */
    static Quantity quantity(BigDecimal value, Result result) {
        Quantity quantity = new Quantity().setValue(value);
        String sent = result.unit() != null ? result.unit() : result.unitText();
        if (sent == null) {
            return quantity;
        }
        quantity.setUnit(result.unitLabel());
        String ucum = ucum(sent);
        if (ucum != null) {
            quantity.setSystem(UCUM).setCode(ucum);
        }
        return quantity;
    }

    /** The UCUM code of a unit as a lab writes it, or null when it is not a UCUM unit. */
    static @org.jspecify.annotations.Nullable String ucum(String unit) {
        String strip = unit.strip();
        String french = FRENCH_UNITS.get(strip);
        if (french != null) {
            return french;
        }
        return UCUM_SERVICE.validate(strip) == null ? strip : null;
    }
}
