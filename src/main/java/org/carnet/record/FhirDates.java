package org.carnet.record;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.hl7.fhir.r4.model.BaseDateTimeType;

/**
 * A FHIR date, dateTime or instant as the period it denotes: {@code 2021-03} is the whole of March 2021.
 * Values without a time zone are read as UTC, for stored values and search values alike.
 */
final class FhirDates {

    static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");

    private FhirDates() {}

    static Instant low(BaseDateTimeType value) {
        TemporalPrecisionEnum precision = value.getPrecision();
        return switch (precision) {
            case YEAR -> LocalDate.of(value.getYear(), 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
            case MONTH ->
                LocalDate.of(value.getYear(), value.getMonth() + 1, 1)
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC);
            case DAY ->
                LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay())
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC);
            default -> value.getValue().toInstant();
        };
    }

    /** The exclusive end of the period. */
    static Instant high(BaseDateTimeType value) {
        Instant low = low(value);
        return switch (value.getPrecision()) {
            case YEAR -> low.atOffset(ZoneOffset.UTC).plusYears(1).toInstant();
            case MONTH -> low.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
            case DAY -> low.plus(1, ChronoUnit.DAYS);
            case MINUTE -> low.plus(1, ChronoUnit.MINUTES);
            case SECOND -> low.plus(1, ChronoUnit.SECONDS);
            case MILLI -> low.plus(1, ChronoUnit.MILLIS);
        };
    }
}
