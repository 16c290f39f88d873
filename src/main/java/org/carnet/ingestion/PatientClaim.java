package org.carnet.ingestion;

import java.time.LocalDate;
import java.util.List;

/**
 * Who an item says it is about: identifiers (the INS first) and traits, as the source gave them.
 *
 * @param identifiers (OID, value) pairs; INS OIDs are tried first
 * @param birthFamily birth name, for matching by traits
 * @param given first given name
 * @param sex {@code M}, {@code F} or another HL7 code
 */
public record PatientClaim(
        List<Identifier> identifiers,
        @org.jspecify.annotations.Nullable String birthFamily,
        @org.jspecify.annotations.Nullable String given,
        @org.jspecify.annotations.Nullable LocalDate birthDate,
        @org.jspecify.annotations.Nullable String sex) {

    public PatientClaim {
        identifiers = List.copyOf(identifiers);
    }

    /** An identifier as (OID without {@code urn:oid:}, value). */
    public record Identifier(
            @org.jspecify.annotations.Nullable String oid,
            @org.jspecify.annotations.Nullable String value) {}

    @Override
    public String toString() {
        return "patient claim with " + identifiers.size() + " identifier(s)";
    }
}
