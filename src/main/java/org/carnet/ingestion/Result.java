package org.carnet.ingestion;

import java.time.Instant;

/**
 * One observation row (OBX) of a lab message, other than an embedded document or a DMP metadata row.
 *
 * @param valueType OBX-2, e.g. {@code NM}, {@code ST}, {@code CE}
 * @param value OBX-5 as text, HL7 escapes resolved; components joined by {@code ^}, repetitions by a line break
 * @param numeric the number of an {@code NM} value, or of an {@code SN} value without comparator; else null
 * @param unit OBX-6 code (UCUM in French labs), else its text
 * @param observed OBX-14, else OBR-7 of the order the row belongs to
 */
public record Result(
        Coding code,
        String valueType,
        String value,
        Double numeric,
        String unit,
        String referenceRange,
        String abnormalFlag,
        String status,
        Instant observed) {}
