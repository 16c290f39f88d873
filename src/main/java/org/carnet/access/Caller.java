package org.carnet.access;

import java.util.Set;

/**
 * The person (or system) behind a request, as established from a validated token.
 *
 * @param kind what the caller is
 * @param subject the token's issuer and subject, stable for the caller ({@code iss|sub})
 * @param displayName a name to show the holder in the trail ("Dr Philippe Moreau")
 * @param idNatPs for a professional, the national identifier IdNat_PS; null otherwise
 * @param profession for a professional, the profession code (10 médecin, 21 pharmacien, ...); null otherwise
 * @param specialty for a professional, the specialty code if the token gives one (SM54 médecine générale)
 * @param practitionerIds for a professional, the ids of the Practitioner resources carrying their IdNat_PS
 * @param patientId for a citizen, the patient whose record they hold; null if no record matches them
 * @param represented for a citizen, the patients they act for as parent or legal representative
 */
public record Caller(
        Kind kind,
        String subject,
        String displayName,
        @org.jspecify.annotations.Nullable String idNatPs,
        @org.jspecify.annotations.Nullable String profession,
        @org.jspecify.annotations.Nullable String specialty,
        Set<String> practitionerIds,
        @org.jspecify.annotations.Nullable String patientId,
        Set<String> represented) {

    /** What a caller is; each kind has its own rules. */
    public enum Kind {
        CITIZEN,
        PROFESSIONAL,
        IDENTITY_OFFICER,
        OPERATOR,
        /** A trusted platform system (connector, integration test): unrestricted, still audited. */
        SYSTEM
    }

    public Caller {
        practitionerIds = Set.copyOf(practitionerIds);
        represented = Set.copyOf(represented);
    }

    /** Whether a value has the shape of an IdNat_PS: 8 + RPPS (12 digits) or 0 + ADELI (10 digits), or the like. */
    public static boolean isIdNatPs(@org.jspecify.annotations.Nullable String value) {
        return value != null && value.matches("[0-9]{10,12}");
    }

    /** The actor key of audit entries and notifications: the IdNat_PS of a professional, else the subject. */
    public String actor() {
        return idNatPs != null ? "idnat:" + idNatPs : subject;
    }

    /** Whether the caller holds or represents this patient's record. */
    public boolean actsFor(String patient) {
        return kind == Kind.CITIZEN && (patient.equals(patientId) || represented.contains(patient));
    }
}
