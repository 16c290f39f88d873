package org.carnet.ingestion.hl7v2;

import java.time.Instant;
import java.util.List;
import org.carnet.ingestion.cda.Coding;

/**
 * One order (OBR) of a lab message and the results under it, filed as its own DiagnosticReport: a CRP sent with a
 * blood count is its own report, under its own number and title.
 *
 * @param placerId OBR-2 (the orderer's number)
 * @param fillerId OBR-3 (the laboratory's number)
 * @param code OBR-4, the test ordered; null when absent
 * @param observed OBR-7; null when absent
 * @param results the OBX rows under this OBR that are results
 */
record LabOrder(
        @org.jspecify.annotations.Nullable String placerId,
        @org.jspecify.annotations.Nullable String fillerId,
        @org.jspecify.annotations.Nullable Coding code,
        @org.jspecify.annotations.Nullable Instant observed,
        List<Result> results) {

    public LabOrder {
        results = List.copyOf(results);
    }

    /** The laboratory's number, else the orderer's. */
    @org.jspecify.annotations.Nullable
    String id() {
        return fillerId != null ? fillerId : placerId;
    }
}
