package org.carnet.record;

import java.time.Instant;

/** One version in a history listing, loaded lazily by {@link RecordReads#loadVersions}. */
public record HistoryEntry(
        long pk,
        int version,
        boolean current,
        Instant lastUpdated,
        @org.jspecify.annotations.Nullable String patientId) {}
