package org.carnet.access;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.carnet.record.Visibility;
import org.springframework.stereotype.Service;

/**
 * The access decision (brief, "Who may see what"), in its order: blocked professionals, access mode, authorisation,
 * the access matrix, masking. Its answer is a {@link Visibility} that the store compiles into every query of the
 * request, so nothing is filtered afterwards. Thread-safe; reads the holder's rules afresh on every decision, so a
 * revocation applies to the very next request (AccessRules forgets its kept rules when a change commits).
 */
@Service
public class AccessDecisions {

    /** Resources that belong to no patient and that every signed-in caller may read: the directory. */
    public static final Set<String> DIRECTORY =
            Set.of("Practitioner", "PractitionerRole", "Organization", "Location", "HealthcareService", "Endpoint");

    /** Hidden from professionals except the author and the médecin traitant. */
    public static final String MASQUE_PS = "MASQUE_PS";
    /** Hidden from the holder (until the announcement consultation). */
    public static final String INVISIBLE_PATIENT = "INVISIBLE_PATIENT";
    /** Hidden from the legal representatives. */
    public static final String INVISIBLE_REPRESENTANTS_LEGAUX = "INVISIBLE_REPRESENTANTS_LEGAUX";

    private static final int MAX_REASON = 500;

    /**
     * What a professional reads but never writes: the identity resources. Representation and record matching are
     * derived from them, so a professional who could write them could make himself a representative or lock the
     * holder out; identities are the identity officer's work.
     */
    static final Set<String> PROFESSIONAL_READ_ONLY = Set.of("Patient", "RelatedPerson");

    private final AccessRules rules;
    private final AccessMatrix matrix;
    private final RateLimits limits;
    private final java.time.Clock clock;

    AccessDecisions(AccessRules rules, AccessMatrix matrix, RateLimits limits, java.time.Clock clock) {
        this.rules = rules;
        this.matrix = matrix;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * What a request may see and change.
     *
     * @param mode the access mode the caller declares; emergency modes are for professionals only
     * @param patient the record an emergency access is for (required with an emergency mode)
     * @param reason the stated reason of an emergency access (required with an emergency mode)
     * @throws ForbiddenOperationException when the holder blocked the professional or refused the mode
     * @throws InvalidRequestException when an emergency access lacks its patient or reason
     * @throws TooManyRequestsException when the professional opened too many records in an emergency mode lately
     */
    public Decision decide(
            Caller caller,
            AccessMode mode,
            @org.jspecify.annotations.Nullable String patient,
            @org.jspecify.annotations.Nullable String reason) {
        String emergencyReason = null;
        if (mode.isEmergency()) {
            if (caller.kind() != Caller.Kind.PROFESSIONAL) {
                throw new ForbiddenOperationException(
                        "Only a health professional may use the " + mode.code() + " mode");
            }
            if (patient == null || patient.isBlank()) {
                throw new InvalidRequestException(
                        "The " + mode.code() + " mode names the patient (header Carnet-Access-Patient)");
            }
            if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
                throw new InvalidRequestException("The " + mode.code() + " mode requires a stated reason of at most "
                        + MAX_REASON + " characters (header Carnet-Access-Reason)");
            }
            emergencyReason = reason.strip();
            if (!matrix.of(caller.profession()).mayUse(mode)) {
                throw new ForbiddenOperationException(
                        "Your profession may not use the " + mode.code() + " mode (access matrix, docs/access.md)");
            }
        }
        Visibility visibility = switch (caller.kind()) {
            case SYSTEM -> Visibility.UNRESTRICTED;
            // The directory is written by the RPPS import (a system job); an operator who could edit a Practitioner's
            // IdNat_PS could move a masked document's author exemption to someone else.
            case OPERATOR -> new Visibility(false, DIRECTORY, Set.of(), List.of());
            case IDENTITY_OFFICER ->
                new Visibility(
                        false,
                        union(DIRECTORY, Set.of("Task")),
                        Set.of("Task"),
                        List.of(new Visibility.Grant(
                                null, Set.of("Patient", "Task"), null, Set.of(), Set.of(), Set.of(), true, Set.of())));
            case CITIZEN -> citizen(caller);
            case PROFESSIONAL -> professional(caller, mode, patient);
        };
        return new Decision(caller, mode, emergencyReason, mode.isEmergency() ? patient : null, visibility);
    }

    /** A decision: who, how, and what they see. */
    public record Decision(
            Caller caller,
            AccessMode mode,
            @org.jspecify.annotations.Nullable String reason,
            @org.jspecify.annotations.Nullable String emergencyPatient,
            Visibility visibility) {}

    private static Visibility citizen(Caller caller) {
        List<Visibility.Grant> grants = new ArrayList<>();
        if (caller.patientId() != null) {
            grants.add(new Visibility.Grant(
                    Set.of(caller.patientId()),
                    null,
                    null,
                    Set.of(),
                    Set.of(INVISIBLE_PATIENT),
                    Set.of(),
                    false,
                    Set.of()));
        }
        grants.add(new Visibility.Grant(
                caller.represented(),
                null,
                null,
                Set.of(),
                Set.of(INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX),
                Set.of(),
                false,
                Set.of()));
        return new Visibility(false, DIRECTORY, Set.of(), grants);
    }

    /** A professional's normal-mode visibility, kept until a rule changes or one of its rules runs out. */
    private record Kept(long generation, java.time.Instant until, Visibility visibility) {}

    private final java.util.Map<String, Kept> kept = new java.util.concurrent.ConcurrentHashMap<>();

    private Visibility professional(
            Caller caller, AccessMode mode, @org.jspecify.annotations.Nullable String emergencyPatient) {
        if (mode.isEmergency()) {
            return computeProfessional(caller, mode, emergencyPatient);
        }
        String key = caller.idNatPs() + "|" + caller.profession() + "|" + caller.practitionerIds();
        long generation = rules.generation();
        java.time.Instant now = java.time.Instant.now(clock);
        Kept known = kept.get(key);
        if (known != null && known.generation() == generation && known.until().isAfter(now)) {
            return known.visibility();
        }
        Visibility visibility = computeProfessional(caller, mode, null);
        java.time.Instant until = rules.inForceFor(idNatPs(caller)).stream()
                .map(AccessRules.Rule::validUntil)
                .filter(java.util.Objects::nonNull)
                .min(java.util.Comparator.naturalOrder())
                .orElse(now.plus(java.time.Duration.ofHours(1)));
        if (kept.size() > 100_000) {
            kept.clear();
        }
        kept.put(key, new Kept(generation, until, visibility));
        return visibility;
    }

    private Visibility computeProfessional(
            Caller caller, AccessMode mode, @org.jspecify.annotations.Nullable String emergencyPatient) {
        Set<String> blocked = new HashSet<>();
        Set<String> objected = new HashSet<>();
        Set<String> traitant = new HashSet<>();
        Set<String> careTeam = new HashSet<>();
        Set<String> authorised = new HashSet<>();
        for (AccessRules.Rule rule : rules.inForceFor(idNatPs(caller))) {
            switch (rule.kind()) {
                case BLOCKED -> blocked.add(rule.patientId());
                case OBJECTED -> objected.add(rule.patientId());
                case TRAITANT -> traitant.add(rule.patientId());
                case CARE_TEAM -> careTeam.add(rule.patientId());
                case AUTHORISED -> authorised.add(rule.patientId());
                case REFUSED_MODE -> {}
            }
        }
        // Care-team members are deemed authorised unless the holder objects; an explicit authorisation stands.
        careTeam.removeAll(objected);
        authorised.addAll(careTeam);
        if (mode.isEmergency()) {
            String patient = java.util.Objects.requireNonNull(emergencyPatient, "decide checks an emergency's patient");
            if (blocked.contains(patient)) {
                throw new ForbiddenOperationException("Access to this record is refused");
            }
            boolean refused = rules.inForce(patient).stream()
                    .anyMatch(r -> r.kind() == AccessRules.Kind.REFUSED_MODE
                            && r.actor().equals(mode.code()));
            if (refused) {
                throw new ForbiddenOperationException("The holder of this record refused the " + mode.code() + " mode");
            }
            if (!limits.allowEmergency(caller.actor(), patient)) {
                throw new TooManyRequestsException("Too many records opened in an emergency mode in the last hour");
            }
            authorised.add(patient);
        }
        traitant.removeAll(blocked);
        authorised.removeAll(blocked);
        authorised.removeAll(traitant);
        AccessMatrix.Entry entry = matrix.of(caller.profession());
        List<Visibility.Grant> grants = List.of(
                new Visibility.Grant(
                        traitant,
                        entry.types(),
                        entry.documentTypes(),
                        entry.excludedDocumentTypes(),
                        Set.of(),
                        Set.of(),
                        true,
                        PROFESSIONAL_READ_ONLY),
                new Visibility.Grant(
                        authorised,
                        entry.types(),
                        entry.documentTypes(),
                        entry.excludedDocumentTypes(),
                        Set.of(MASQUE_PS),
                        caller.practitionerIds(),
                        true,
                        PROFESSIONAL_READ_ONLY));
        return new Visibility(false, DIRECTORY, Set.of(), grants);
    }

    /** A professional caller's IdNat_PS: Callers establishes none without it. */
    private static String idNatPs(Caller caller) {
        return java.util.Objects.requireNonNull(caller.idNatPs(), "a professional has an IdNat_PS");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
