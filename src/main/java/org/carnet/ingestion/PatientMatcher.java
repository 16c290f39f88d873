package org.carnet.ingestion;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.carnet.identity.Traits;
import org.carnet.record.RecordReads;
import org.carnet.record.Visibility;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Files an item under exactly one patient or under none (BRIEF.md, identity-vigilance): the INS first, then the
 * traits. Never guesses: a second candidate, or an INS whose record disagrees on the birth date, sends the item to
 * quarantine with the reason, never to a wrong record. An INS that fails its key check (or is not shaped as a
 * matricule) is an identity-vigilance event: the item is quarantined with that reason rather than matched by its
 * traits, since the sender's identity data is corrupt and may be another person's (ADR 0013).
 */
@Component
public class PatientMatcher {

    /** The INS registers (NIR, NIA, test and demo NIR), as in identity.Ins. */
    public static final Set<String> INS_OIDS =
            Set.of("1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9", "1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11");

    private final RecordReads vault;

    PatientMatcher(RecordReads vault) {
        this.vault = vault;
    }

    /** The patient matched, or the reason there is none. */
    record Match(
            @org.jspecify.annotations.Nullable String patientId,
            @org.jspecify.annotations.Nullable String quarantineReason) {}

    Match match(PatientClaim claim) {
        for (PatientClaim.Identifier id : claim.identifiers()) {
            var register = org.carnet.identity.Ins.Kind.ofOid(id.oid());
            if (register.isEmpty() || id.value() == null || id.value().isBlank()) {
                continue;
            }
            try {
                org.carnet.identity.Ins.parse(id.value().strip(), register.get());
            } catch (org.carnet.identity.InvalidInsException e) {
                // The reason names the register and the check, never the value (operators read it).
                String check = java.util.Objects.requireNonNull(e.getMessage(), "an InvalidInsException has its reason")
                                .startsWith("The key")
                        ? "fails its key check"
                        : "is not a matricule INS";
                return new Match(
                        null,
                        "identity-vigilance: the INS given (" + register.get() + ") " + check
                                + "; not matched by traits: to check by an identity officer before filing");
            }
        }
        for (PatientClaim.Identifier id : claim.identifiers()) {
            if (!INS_OIDS.contains(id.oid()) || id.value() == null || id.value().isBlank()) {
                continue;
            }
            List<Patient> found = find("identifier="
                    + encode("urn:oid:" + id.oid() + "|" + id.value().strip()));
            if (found.size() > 1) {
                return new Match(null, "ambiguous: " + found.size() + " records carry the INS given");
            }
            if (found.size() == 1) {
                Patient patient = found.get(0);
                if (claim.birthDate() != null
                        && patient.hasBirthDate()
                        && !claim.birthDate()
                                .toString()
                                .equals(patient.getBirthDateElement().getValueAsString())) {
                    return new Match(
                            null,
                            "the record with the INS given has another birth date: "
                                    + "identity to check before filing");
                }
                return new Match(patient.getIdElement().getIdPart(), null);
            }
        }
        if (claim.birthFamily() == null || claim.given() == null || claim.birthDate() == null) {
            return new Match(
                    null,
                    "no record carries the INS given, and the item lacks the traits to match on "
                            + "(birth name, first given name, birth date)");
        }
        List<Patient> candidates = new ArrayList<>();
        for (Patient patient : find("birthdate=" + claim.birthDate() + "&family=" + encode(claim.birthFamily()))) {
            if (sameTraits(patient, claim)) {
                candidates.add(patient);
            }
        }
        if (candidates.isEmpty()) {
            return new Match(null, "no record matches the INS or the traits given");
        }
        if (candidates.stream().anyMatch(patient -> otherIns(patient, claim))) {
            // Homonyms born the same day are two people: a record holding another INS is never this item's.
            return new Match(
                    null,
                    "the record matching the traits holds another INS than the one given: "
                            + "identity to check before filing");
        }
        if (candidates.size() > 1) {
            return new Match(null, "ambiguous: " + candidates.size() + " records match the traits given");
        }
        return new Match(candidates.get(0).getIdElement().getIdPart(), null);
    }

    private List<Patient> find(String query) {
        List<Long> pks = vault.search("Patient", query, Visibility.UNRESTRICTED);
        List<Patient> patients = new ArrayList<>();
        for (Resource resource : vault.load(pks, Visibility.UNRESTRICTED)) {
            patients.add((Patient) resource);
        }
        return patients;
    }

    /** Whether the record holds, under a register the claim names, an INS other than the claim's. */
    private static boolean otherIns(Patient patient, PatientClaim claim) {
        for (PatientClaim.Identifier id : claim.identifiers()) {
            if (!INS_OIDS.contains(id.oid()) || id.value() == null) {
                continue;
            }
            for (var identifier : patient.getIdentifier()) {
                if (("urn:oid:" + id.oid()).equals(identifier.getSystem())
                        && identifier.hasValue()
                        && !identifier.getValue().equals(id.value().strip())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameTraits(Patient patient, PatientClaim claim) {
        boolean sex = claim.sex() == null
                || !patient.hasGender()
                || claim.sex().equalsIgnoreCase("U")
                || patient.getGender()
                        .toCode()
                        .substring(0, 1)
                        .equalsIgnoreCase(claim.sex().substring(0, 1));
        // A source may send the first-name list in one field ("CLAIRE ANNE"): the first given name is its first word.
        // match asks only with both traits
        String family = java.util.Objects.requireNonNull(claim.birthFamily(), "a claim matched by traits has them");
        String firstGiven = java.util.Objects.requireNonNull(claim.given(), "a claim matched by traits has them")
                .strip()
                .split("[ ,]+")[0];
        return sex && patient.getName().stream().anyMatch(name -> Traits.sameName(name, family, firstGiven));
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
