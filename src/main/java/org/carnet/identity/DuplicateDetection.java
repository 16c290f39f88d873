package org.carnet.identity;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.carnet.record.QueryStrings;
import org.carnet.record.RecordReads;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Finds the patients that are probably the same person as a given one (RNIV identity-vigilance): same sex
 * and the same birth date or the same with day and month transposed, and names that agree once spelling,
 * accents and French phonetics are set aside, comparing birth names and used names both ways.
 */
final class DuplicateDetection {

    /** A probable duplicate and why. */
    record Candidate(String patientId, List<String> reasons) {}

    private final RecordReads vault;
    private final QueryStrings queries;

    DuplicateDetection(RecordReads vault, QueryStrings queries) {
        this.vault = vault;
        this.queries = queries;
    }

    List<Candidate> candidates(Patient patient) {
        if (!patient.hasBirthDate()
                || patient.getBirthDateElement().getPrecision() != ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY) {
            return List.of();
        }
        LocalDate birth = LocalDate.parse(patient.getBirthDateElement().getValueAsString());
        Set<String> dates = new LinkedHashSet<>();
        dates.add(birth.toString());
        LocalDate transposed = transposed(birth);
        if (transposed != null) {
            dates.add(transposed.toString());
        }
        String id = patient.getIdElement().getIdPart();
        var query = queries.parse("Patient", "birthdate=" + String.join(",", dates), true)
                .query();
        List<Candidate> found = new ArrayList<>();
        for (Resource resource : vault.load(vault.search(query))) {
            Patient other = (Patient) resource;
            String otherId = other.getIdElement().getIdPart();
            if (otherId.equals(id) || !other.getActive() && other.hasActive() || isLinked(patient, other)) {
                continue;
            }
            List<String> reasons = compare(patient, other);
            if (!reasons.isEmpty()) {
                found.add(new Candidate(otherId, reasons));
            }
        }
        return found;
    }

    /** The reasons two patients are probably one person, or an empty list. */
    static List<String> compare(Patient a, Patient b) {
        if (a.hasGender() && b.hasGender() && a.getGender() != b.getGender()) {
            return List.of();
        }
        List<String> reasons = new ArrayList<>();
        String dateA = a.getBirthDateElement().getValueAsString();
        String dateB = b.getBirthDateElement().getValueAsString();
        if (!dateA.equals(dateB)) {
            reasons.add("transposed-day-month");
        }
        NameMatch family = familyMatch(a, b);
        if (family == NameMatch.NONE) {
            return List.of();
        }
        NameMatch given = givenMatch(a, b);
        if (given == NameMatch.NONE) {
            return List.of();
        }
        if (family == NameMatch.EXACT && given == NameMatch.EXACT && reasons.isEmpty()) {
            reasons.add("same-traits");
        }
        if (family == NameMatch.PHONETIC || given == NameMatch.PHONETIC) {
            reasons.add("phonetic-names");
        }
        if (family == NameMatch.CROSSED) {
            reasons.add("birth-name-vs-used-name");
        }
        return reasons;
    }

    private enum NameMatch {
        EXACT,
        CROSSED,
        PHONETIC,
        NONE
    }

    private static NameMatch familyMatch(Patient a, Patient b) {
        String birthA = family(a, HumanName.NameUse.OFFICIAL);
        String birthB = family(b, HumanName.NameUse.OFFICIAL);
        String usedA = family(a, HumanName.NameUse.USUAL);
        String usedB = family(b, HumanName.NameUse.USUAL);
        if (same(birthA, birthB) || same(usedA, usedB) && birthA.isEmpty() && birthB.isEmpty()) {
            return NameMatch.EXACT;
        }
        if (same(birthA, usedB) || same(usedA, birthB) || same(usedA, usedB)) {
            return NameMatch.CROSSED;
        }
        if (alike(birthA, birthB) || alike(usedA, usedB) || alike(birthA, usedB) || alike(usedA, birthB)) {
            return NameMatch.PHONETIC;
        }
        return NameMatch.NONE;
    }

    private static NameMatch givenMatch(Patient a, Patient b) {
        String givenA = firstGiven(a);
        String givenB = firstGiven(b);
        if (same(givenA, givenB)) {
            return NameMatch.EXACT;
        }
        return alike(givenA, givenB) ? NameMatch.PHONETIC : NameMatch.NONE;
    }

    private static boolean same(String x, String y) {
        return !x.isEmpty() && x.equals(y);
    }

    private static boolean alike(String x, String y) {
        if (x.isEmpty() || y.isEmpty()) {
            return false;
        }
        return FrenchPhonetics.soundAlike(x, y) || FrenchPhonetics.editDistance(x, y) <= (x.length() > 6 ? 2 : 1);
    }

    private static String family(Patient patient, HumanName.NameUse use) {
        return patient.getName().stream()
                .filter(n -> n.getUse() == use || use == HumanName.NameUse.USUAL && !n.hasUse())
                .filter(HumanName::hasFamily)
                .map(n -> FrenchPhonetics.normalise(n.getFamily()))
                .findFirst()
                .orElse("");
    }

    private static String firstGiven(Patient patient) {
        List<String> list = FrCorePatient.birthFirstNames(patient);
        if (!list.isEmpty()) {
            return FrenchPhonetics.normalise(list.getFirst());
        }
        return patient.getName().stream()
                .flatMap(n -> n.getGiven().stream())
                .map(StringType::getValue)
                .map(FrenchPhonetics::normalise)
                .findFirst()
                .orElse("");
    }

    private static boolean isLinked(Patient a, Patient b) {
        String bId = "Patient/" + b.getIdElement().getIdPart();
        String aId = "Patient/" + a.getIdElement().getIdPart();
        return a.getLink().stream().anyMatch(l -> bId.equals(l.getOther().getReference()))
                || b.getLink().stream().anyMatch(l -> aId.equals(l.getOther().getReference()));
    }

    /** The date with day and month swapped, when that is another valid date. */
    static @org.jspecify.annotations.Nullable LocalDate transposed(LocalDate date) {
        if (date.getDayOfMonth() > 12 || date.getDayOfMonth() == date.getMonthValue()) {
            return null;
        }
        return LocalDate.of(date.getYear(), date.getDayOfMonth(), date.getMonthValue());
    }
}
