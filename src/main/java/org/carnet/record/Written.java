package org.carnet.record;

import java.time.Instant;
import org.hl7.fhir.r4.model.Resource;

/**
 * What a change did.
 *
 * @param resource the stored resource with its id and meta; null after a delete
 * @param created true when a new resource came into being (HTTP 201)
 * @param changed false when the change was a no-op (identical update, delete of a deleted resource)
 * @param patientId the patient whose record holds the resource, null for a shared resource
 */
public record Written(
        String type,
        String id,
        int version,
        Instant lastUpdated,
        @org.jspecify.annotations.Nullable Resource resource,
        boolean created,
        boolean changed,
        @org.jspecify.annotations.Nullable String patientId) {}
