package org.carnet.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.junit.jupiter.api.Test;

class FhirDatesTests {

    @Test
    void aYearIsTheWholeYear() {
        DateType year = new DateType("2021");

        assertThat(FhirDates.low(year)).isEqualTo(Instant.parse("2021-01-01T00:00:00Z"));
        assertThat(FhirDates.high(year)).isEqualTo(Instant.parse("2022-01-01T00:00:00Z"));
    }

    @Test
    void aMonthEndsAtTheNextMonth() {
        DateType february = new DateType("2024-02");

        assertThat(FhirDates.high(february)).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
    }

    @Test
    void aDateTimeWithZoneIsThatSecond() {
        DateTimeType moment = new DateTimeType("2023-07-01T10:00:00+02:00");

        assertThat(FhirDates.low(moment)).isEqualTo(Instant.parse("2023-07-01T08:00:00Z"));
        assertThat(FhirDates.high(moment)).isEqualTo(Instant.parse("2023-07-01T08:00:01Z"));
    }
}
