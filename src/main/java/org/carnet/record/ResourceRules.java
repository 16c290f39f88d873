package org.carnet.record;

import org.hl7.fhir.r4.model.Resource;

/**
 * A domain rule every resource must satisfy before it is stored (e.g. a Patient's INS must be well-formed).
 * Modules contribute rules as Spring beans; {@link RecordVault} runs all of them on every create and update,
 * inside the write unit, so a refused resource leaves nothing behind.
 *
 * <p>Contract: {@link #check} must be side-effect free and thread-safe, and must signal a violation with
 * HAPI's {@code UnprocessableEntityException} (HTTP 422) whose message names the rule that failed and the
 * offending element, without quoting more of the resource than needed (messages reach the client, not logs).
 */
public interface ResourceRules {

    void check(Resource resource);
}
