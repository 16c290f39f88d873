package org.carnet.record;

import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * A domain rule every resource must satisfy before it is stored (e.g. a Patient's INS must be well-formed).
 * Modules contribute rules as Spring beans; {@link RecordReads} runs all of them on every create and update,
 * inside the write unit, so a refused resource leaves nothing behind.
 *
 * <p>Contract: {@link #check} must be side-effect free and thread-safe, and must signal a violation with
 * HAPI's {@code UnprocessableEntityException} (HTTP 422) whose message names the rule that failed and the
 * offending element, without quoting more of the resource than needed (messages reach the client, not logs).
 */
public interface ResourceRules {

    void check(Resource resource);

    /** Whether {@link #alongside} wants to see the writes of this resource type (it is not called otherwise). */
    default boolean watches(String type) {
        return false;
    }

    /**
     * New resources to create in the same write unit as a create or update of a watched type — e.g. the
     * AuditEvent recording a change of identity status — so that they commit or fail with it.
     *
     * @param previous the current stored version, null for a creation (or a re-creation after a delete)
     * @param next the version about to be stored, already checked
     */
    default List<Resource> alongside(@org.jspecify.annotations.Nullable Resource previous, Resource next) {
        return List.of();
    }
}
