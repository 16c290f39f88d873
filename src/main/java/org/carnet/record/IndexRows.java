package org.carnet.record;

import java.time.Instant;
import java.util.List;

/** The search-index rows of one resource version, and the patient whose compartment it belongs to. */
record IndexRows(String patientId, List<Token> tokens, List<Text> strings, List<DateRange> dates, List<Ref> refs) {

    /** A deletion: no rows, but the record it was filed under (the access check of a delete reads it). */
    static IndexRows deletion(String patientId) {
        return new IndexRows(patientId, List.of(), List.of(), List.of(), List.of());
    }

    record Token(String param, String system, String code) {}

    record Text(String param, String normalized, String exact) {}

    /** A period, {@code low} inclusive and {@code high} exclusive. */
    record DateRange(String param, Instant low, Instant high) {}

    record Ref(String param, String targetType, String targetId) {}
}
