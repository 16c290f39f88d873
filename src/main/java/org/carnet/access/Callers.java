package org.carnet.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.carnet.identity.FrCorePatient;
import org.carnet.identity.Traits;
import org.carnet.record.Criterion;
import org.carnet.record.RecordChanged;
import org.carnet.record.RecordReads;
import org.carnet.record.SearchQuery;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Establishes the caller of a validated token from its claims: Pro Santé Connect claims make a professional
 * ({@code SubjectNameID} = IdNat_PS, {@code SubjectRole} = profession), FranceConnect claims a citizen (matched to
 * their record by the identity traits), {@code carnet_role} a staff member or system. An issuer may only establish
 * the kinds it is trusted for. The record look-ups are kept for a minute per subject.
 */
@Component
class Callers {

    /** {@code acr} values at or above eIDAS substantial-low ("eidas1"). */
    static final Set<String> ACCEPTED_ACR = Set.of("eidas1", "eidas2", "eidas3");

    private static final Logger log = LoggerFactory.getLogger(Callers.class);
    private static final Duration KEPT = Duration.ofMinutes(1);
    private static final Set<String> REPRESENTATIVE_ROLES = Set.of("PRN", "FTH", "MTH", "GUARD", "PRNFOST");
    private static final Map<String, Caller.Kind> STAFF = Map.of(
            "identity-officer", Caller.Kind.IDENTITY_OFFICER,
            "operator", Caller.Kind.OPERATOR,
            "system", Caller.Kind.SYSTEM);

    private final RecordReads vault;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    /** Tokens already announced as a sign-in, until they expire. */
    private final Map<String, Instant> announced = new ConcurrentHashMap<>();

    Callers(RecordReads vault, Clock clock, ApplicationEventPublisher events) {
        this.vault = vault;
        this.clock = clock;
        this.events = events;
    }

    private record Kept(Caller caller, Instant until) {}

    Caller of(Jwt jwt, Set<Caller.Kind> trusted) {
        String key =
                jwt.getIssuer() + "|" + jwt.getSubject() + "|" + jwt.getClaims().hashCode();
        Instant now = clock.instant();
        Kept known = kept.get(key);
        if (known != null && known.until().isAfter(now)) {
            return known.caller();
        }
        Caller caller;
        try {
            caller = establish(jwt, trusted);
        } catch (OAuth2AuthenticationException e) {
            throw e;
        } catch (RuntimeException e) {
            // A claim of the wrong shape (a number where a list is expected, ...) is the token's fault: 401.
            throw refused("malformed identity claims");
        }
        if (kept.size() > 10_000) {
            kept.clear();
        }
        kept.put(key, new Kept(caller, now.plus(KEPT)));
        if (announced.size() > 100_000) {
            announced.values().removeIf(until -> until.isBefore(now));
        }
        Instant expires = jwt.getExpiresAt() == null ? now.plus(Duration.ofHours(1)) : jwt.getExpiresAt();
        if (announced.putIfAbsent(key, expires) == null) {
            events.publishEvent(new SignedIn(caller, now));
        }
        return caller;
    }

    /**
     * A write of the resources a caller is established from (Patient, RelatedPerson, Practitioner) forgets every kept
     * caller, so that a new record or a new Practitioner counts from the next request.
     */
    @EventListener
    void on(RecordChanged changed) {
        if (!kept.isEmpty()
                && changed.resources().stream()
                        .anyMatch(r -> r.startsWith("Patient/")
                                || r.startsWith("RelatedPerson/")
                                || r.startsWith("Practitioner/"))) {
            kept.clear();
        }
    }

    private Caller establish(Jwt jwt, Set<Caller.Kind> trusted) {
        String subject = jwt.getIssuer() + "|" + jwt.getSubject();
        String role = jwt.getClaimAsString("carnet_role");
        Caller.Kind kind = role != null
                ? STAFF.get(role)
                : jwt.hasClaim("SubjectNameID") ? Caller.Kind.PROFESSIONAL : Caller.Kind.CITIZEN;
        if (kind == null || !trusted.contains(kind)) {
            throw refused("this issuer may not sign in a "
                    + (kind == null ? role : kind.name().toLowerCase(Locale.ROOT)));
        }
        String name = (text(jwt, "given_name") + " " + text(jwt, "family_name")).strip();
        return switch (kind) {
            case PROFESSIONAL -> professional(jwt, subject, name);
            case CITIZEN -> citizen(jwt, subject, name);
            default ->
                new Caller(
                        kind,
                        subject,
                        // a staff kind comes from carnet_role
                        name.isEmpty() ? java.util.Objects.requireNonNull(role, "a staff caller has its role") : name,
                        null,
                        null,
                        null,
                        Set.of(),
                        null,
                        Set.of());
        };
    }

    private Caller professional(Jwt jwt, String subject, String name) {
        requireAcr(jwt);
        String idNat = jwt.getClaimAsString("SubjectNameID");
        if (idNat == null || !Caller.isIdNatPs(idNat)) {
            throw refused("SubjectNameID is not an IdNat_PS");
        }
        List<String> roles = jwt.hasClaim("SubjectRole")
                ? java.util.Objects.requireNonNull(jwt.getClaimAsStringList("SubjectRole"), "the claim is there")
                : List.of();
        String profession = roles.isEmpty() ? null : roles.get(0).split("\\^")[0];
        Set<String> practitioners = Traits.practitionerIds(vault, idNat);
        String display = ("10".equals(profession) ? "Dr " : "") + name;
        return new Caller(
                Caller.Kind.PROFESSIONAL,
                subject,
                display,
                idNat,
                profession,
                specialty(jwt),
                practitioners,
                null,
                Set.of());
    }

    private Caller citizen(Jwt jwt, String subject, String name) {
        requireAcr(jwt);
        String family = text(jwt, "family_name");
        String given = text(jwt, "given_name");
        String birthdate = text(jwt, "birthdate");
        String gender = text(jwt, "gender");
        if (family.isEmpty() || given.isEmpty() || !birthdate.matches("\\d{4}-\\d{2}-\\d{2}") || gender.isEmpty()) {
            throw refused("a citizen token carries given_name, family_name, birthdate and gender");
        }
        String firstGiven = given.split(" ")[0];
        String birthplace = text(jwt, "birthplace");
        Set<String> holder = new HashSet<>();
        for (Resource resource : find("Patient", family, birthdate)) {
            Patient patient = (Patient) resource;
            if (patient.getActive() || !patient.hasActive()) {
                // The birthplace (INSEE code) must agree when both the token and the record have one.
                boolean samePlace = birthplace.isEmpty()
                        || FrCorePatient.birthPlaceInsee(patient)
                                .map(birthplace::equals)
                                .orElse(true);
                boolean sameTraits = gender.equals(
                                patient.getGender() == null
                                        ? ""
                                        : patient.getGender().toCode())
                        && samePlace
                        && patient.getName().stream().anyMatch(n -> Traits.sameName(n, family, firstGiven));
                if (sameTraits) {
                    holder.add(patient.getIdElement().getIdPart());
                }
            }
        }
        Set<String> represented = new HashSet<>();
        for (Resource resource : find("RelatedPerson", family, birthdate)) {
            RelatedPerson person = (RelatedPerson) resource;
            boolean representative = person.getRelationship().stream()
                    .flatMap(c -> c.getCoding().stream())
                    .anyMatch(c -> REPRESENTATIVE_ROLES.contains(c.getCode()));
            boolean sameTraits = gender.equals(
                            person.getGender() == null ? "" : person.getGender().toCode())
                    && person.getName().stream().anyMatch(n -> Traits.sameName(n, family, firstGiven));
            if ((person.getActive() || !person.hasActive()) && representative && sameTraits && person.hasPatient()) {
                represented.add(person.getPatient().getReferenceElement().getIdPart());
            }
        }
        if (holder.size() > 1) {
            log.warn("A citizen token matches {} records by traits; none is opened", holder.size());
        }
        String patient = holder.size() == 1 ? holder.iterator().next() : null;
        return new Caller(Caller.Kind.CITIZEN, subject, name, null, null, null, Set.of(), patient, represented);
    }

    private List<Resource> find(String type, String family, String birthdate) {
        return vault.load(vault.search(new SearchQuery(
                type,
                List.of(
                        new Criterion("Patient".equals(type) ? "family" : "name", null, List.of(family)),
                        new Criterion("birthdate", null, List.of(birthdate))),
                List.of())));
    }

    @SuppressWarnings("unchecked")
    private static @org.jspecify.annotations.Nullable String specialty(Jwt jwt) {
        Object refPro = jwt.getClaims().get("SubjectRefPro");
        if (refPro instanceof Map<?, ?> map
                && map.get("exercices") instanceof List<?> exercices
                && !exercices.isEmpty()
                && exercices.get(0) instanceof Map<?, ?> exercice) {
            Object code = ((Map<String, Object>) exercice).get("codeSavoirFaire");
            return code == null ? null : code.toString();
        }
        return null;
    }

    private static void requireAcr(Jwt jwt) {
        String acr = jwt.getClaimAsString("acr");
        if (acr == null || !ACCEPTED_ACR.contains(acr)) {
            throw refused("the sign-in level (acr) must be eidas1 or higher");
        }
    }

    private static String text(Jwt jwt, String claim) {
        String value = jwt.getClaimAsString(claim);
        return value == null ? "" : value.strip();
    }

    private static OAuth2AuthenticationException refused(String why) {
        return new OAuth2AuthenticationException(new OAuth2Error("invalid_token", "Token refused: " + why, null));
    }
}
