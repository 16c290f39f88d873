package org.carnet.ingestion.hl7v2;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.carnet.ingestion.cda.Coding;

/**
 * One observation row (OBX) of a lab message, other than an embedded document or a DMP metadata row.
 *
 * @param valueType OBX-2, e.g. {@code NM}, {@code SN}, {@code CWE}
 * @param value OBX-5 as text, HL7 escapes resolved; components joined by {@code ^}, repetitions by a line break
 * @param components the components of OBX-5's first repetition, escapes resolved, an empty component as null: what
 *     {@link ResultValues} reads a structured value (SN, CE, CWE) from
 * @param numeric the number of an {@code NM} value (a comma read as the decimal mark, as French labs write it), or of
 *     an {@code SN} value without comparator or second number; else null
 * @param unit OBX-6.1, the unit's code as sent (UCUM or not: {@link ResultValues} decides)
 * @param unitText OBX-6.2, the unit as written for people
 * @param unitSystem OBX-6.3, the unit's coding system as sent (e.g. {@code UCUM}, {@code L})
 * @param observed OBX-14, else OBR-7 of the order the row belongs to
 */
record Result(
        @org.jspecify.annotations.Nullable Coding code,
        @org.jspecify.annotations.Nullable String valueType,
        @org.jspecify.annotations.Nullable String value,
        List<String> components,
        @org.jspecify.annotations.Nullable BigDecimal numeric,
        @org.jspecify.annotations.Nullable String unit,
        @org.jspecify.annotations.Nullable String unitText,
        @org.jspecify.annotations.Nullable String unitSystem,
        @org.jspecify.annotations.Nullable String referenceRange,
        @org.jspecify.annotations.Nullable String abnormalFlag,
        @org.jspecify.annotations.Nullable String status,
        @org.jspecify.annotations.Nullable Instant observed) {

    public Result {
        components = components == null
                ? List.of()
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(components));
    }

    /** Component {@code n} (from 1) of the value, or null. */
    @org.jspecify.annotations.Nullable
    String component(int n) {
        return n <= components.size() ? components.get(n - 1) : null;
    }

    /** The unit as written for people: its text, else its code. */
    @org.jspecify.annotations.Nullable
    String unitLabel() {
        return unitText != null ? unitText : unit;
    }
}
