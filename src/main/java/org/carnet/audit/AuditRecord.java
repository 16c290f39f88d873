package org.carnet.audit;

import java.time.Instant;
import java.util.List;

/**
 * One thing that happened, about one patient's record (or none), to be written as one AuditEvent.
 *
 * @param patientId the record concerned, or null for an action about no record (sign-in, directory)
 * @param actor who did it
 * @param interaction the FHIR interaction or operation: read, vread, search-type, history-instance, history-type,
 *     create, update, patch, delete, transaction, everything, sign-in, consent, or another operation's name
 * @param mode the access mode code ({@code normal}, {@code bris-de-glace}, {@code centre-15})
 * @param reason the stated reason of an emergency access, else null
 * @param success whether it succeeded
 * @param resources the resources concerned ({@code Type/id}), possibly many
 * @param detail a short technical detail (the search query, the rule changed), never shown to other patients
 * @param at when
 */
public record AuditRecord(
        @org.jspecify.annotations.Nullable String patientId,
        Actor actor,
        String interaction,
        @org.jspecify.annotations.Nullable String mode,
        @org.jspecify.annotations.Nullable String reason,
        boolean success,
        List<String> resources,
        @org.jspecify.annotations.Nullable String detail,
        Instant at) {

    public AuditRecord {
        resources = List.copyOf(resources);
    }

    /**
     * Who acted.
     *
     * @param key the stable actor key ({@code idnat:810...} for a professional, the token subject otherwise)
     * @param name the display name
     * @param kind CITIZEN, PROFESSIONAL, IDENTITY_OFFICER, OPERATOR or SYSTEM
     * @param profession the profession code of a professional, else null
     * @param specialty the specialty code of a professional if known, else null
     */
    public record Actor(
            String key,
            String name,
            String kind,
            @org.jspecify.annotations.Nullable String profession,
            @org.jspecify.annotations.Nullable String specialty) {

        /** The actor of a signed-in caller. */
        public static Actor of(org.carnet.access.Caller caller) {
            return new Actor(
                    caller.actor(),
                    caller.displayName(),
                    caller.kind().name(),
                    caller.profession(),
                    caller.specialty());
        }
    }
}
