package org.carnet.identity;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import java.util.Set;
import org.carnet.record.ResourceRules;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * The identity rules on every stored Patient (FR Core Patient INS and the RNIV), each named in the 422 it
 * answers: {@code INS-matricule}, {@code INS-type}, {@code INS-use}, {@code INS-official-unique},
 * {@code INS-traits}, {@code INS-strict-traits}, {@code INS-provenance}, {@code INS-reliability},
 * {@code INS-status}, {@code INS-doubtful}, {@code INS-birthplace}. The billing NIR shares the NIR OID but is typed {@code NH}: it is
 * checked for shape and key only. A change of identity status is audited in the same write unit.
 */
@Component
class PatientIdentityRules implements ResourceRules {

    private static final Set<String> STATUS_CODES = Set.of(
            "VIDE", "PROV", "VALI", "DOUB", "DESA", "DPOT", "DOUA", "COLP", "COLV", "FILI", "CACH", "ANOM", "IDVER",
            "RECD", "IDRA", "USUR", "HOMD", "HOMA", "INVA", "FICT", "DOUT");

    private final IdentityAudit audit;

    PatientIdentityRules(IdentityAudit audit) {
        this.audit = audit;
    }

    @Override
    public void check(Resource resource) {
        if (!(resource instanceof Patient patient)) {
            return;
        }
        Identifier official = null;
        for (int i = 0; i < patient.getIdentifier().size(); i++) {
            Identifier identifier = patient.getIdentifier().get(i);
            Ins.Kind kind = Ins.Kind.ofOid(identifier.getSystem()).orElse(null);
            if (kind == null) {
                continue;
            }
            String where = "Patient.identifier[" + i + "]";
            Ins ins;
            try {
                ins = Ins.parse(identifier.getValue(), kind);
            } catch (InvalidInsException e) {
                throw refused(
                        "INS-matricule",
                        where,
                        java.util.Objects.requireNonNull(e.getMessage(), "an InvalidInsException has its reason"));
            }
            String type = FrCorePatient.typeCode(identifier);
            if ("NH".equals(type)) {
                continue;
            }
            String expectedType = FrCorePatient.typeOf(kind);
            if (!expectedType.equals(type)) {
                throw refused(
                        "INS-type",
                        where,
                        "an INS under " + kind.oid + " is typed " + expectedType + " (system "
                                + IdentifierSystems.FR_CORE_ID_TYPE + "), or NH for the billing NIR; found "
                                + (type == null ? "no type" : type));
            }
            if (identifier.getUse() != Identifier.IdentifierUse.OFFICIAL
                    && identifier.getUse() != Identifier.IdentifierUse.OLD) {
                throw refused(
                        "INS-use",
                        where,
                        "an INS is used 'official' (the current one) or 'old' (replaced)," + " not "
                                + (identifier.hasUse()
                                        ? "'" + identifier.getUse().toCode() + "'"
                                        : "unspecified"));
            }
            if (identifier.getUse() == Identifier.IdentifierUse.OFFICIAL) {
                if (official != null) {
                    throw refused("INS-official-unique", where, "a Patient has one current INS; mark the others 'old'");
                }
                official = identifier;
                checkTraits(patient, ins, where);
            }
        }
        FrCorePatient.birthPlaceInsee(patient)
                .filter(code -> !FrCorePatient.isInseeCode(code))
                .ifPresent(code -> {
                    throw refused(
                            "INS-birthplace",
                            "Patient.extension[birthPlace]",
                            "the birthplace code is an INSEE commune"
                                    + " code: 5 characters, 2 digits (or 2A/2B) then 3 digits, 99xxx for a birth abroad");
                });
        FrCorePatient.Reliability reliability = FrCorePatient.reliability(patient);
        checkReliabilityCodes(reliability);
        if (!reliability.attributes().isEmpty() && (official != null || reliability.insiChecked())) {
            throw refused(
                    "INS-doubtful",
                    "Patient.extension[identityReliability]",
                    "a doubtful or fictitious"
                            + " identity stays provisional: it carries no INS and is never sent to INSi");
        }
        if (official != null) {
            checkStrictTraits(patient);
            if (!reliability.insiChecked()) {
                throw refused(
                        "INS-provenance",
                        "Patient.extension[identityReliability]",
                        "an INS comes from the INSi"
                                + " teleservice only: methodCollection must be INSI, with the query date in dateCollection");
            }
        }
        if ("VALI".equals(reliability.identityStatus())
                && !(official != null && reliability.insiChecked() && reliability.documentChecked())) {
            throw refused(
                    "INS-status",
                    "Patient.extension[identityReliability].identityStatus",
                    "VALI means a"
                            + " qualified identity: an INS from INSi and a high-trust document (validationMode PA, CN, AN or"
                            + " LE); otherwise the status is PROV");
        }
    }

    @Override
    public boolean watches(String type) {
        return "Patient".equals(type);
    }

    @Override
    public List<Resource> alongside(@org.jspecify.annotations.Nullable Resource previous, Resource next) {
        IdentityStatus before = previous instanceof Patient p ? FrCorePatient.status(p) : null;
        IdentityStatus after = FrCorePatient.status((Patient) next);
        if (before == after || (before == null && after == IdentityStatus.PROV)) {
            return List.of();
        }
        return List.of(audit.statusChanged(next.getIdElement().getIdPart(), before, after));
    }

    private static void checkReliabilityCodes(FrCorePatient.Reliability reliability) {
        String where = "Patient.extension[identityReliability]";
        if (reliability.identityStatus() != null && !STATUS_CODES.contains(reliability.identityStatus())) {
            throw refused(
                    "INS-reliability",
                    where + ".identityStatus",
                    "unknown status '" + reliability.identityStatus()
                            + "' (FR Core v2-0445: PROV, VALI, ...; DOUT and FICT as attributes)");
        }
        if (reliability.methodCollection() != null && !FrCorePatient.METHODS.contains(reliability.methodCollection())) {
            throw refused(
                    "INS-reliability",
                    where + ".methodCollection",
                    "unknown collection method '" + reliability.methodCollection() + "' (SM, CV, INSI, CB, RFID)");
        }
        if (reliability.validationMode() != null && !FrCorePatient.MODES.contains(reliability.validationMode())) {
            throw refused(
                    "INS-reliability",
                    where + ".validationMode",
                    "unknown validation mode '" + reliability.validationMode()
                            + "' (high-trust documents: PA, CN, AN, LE)");
        }
    }

    private static void checkStrictTraits(Patient patient) {
        String rule = "INS-strict-traits";
        var name = FrCorePatient.officialName(patient)
                .orElseThrow(() -> refused(rule, "Patient.name", "a Patient with an INS has an official (birth) name"));
        if (!name.hasFamily()) {
            throw refused(rule, "Patient.name[official].family", "the birth name is missing");
        }
        if (name.getGiven().size() != 1) {
            throw refused(
                    rule,
                    "Patient.name[official].given",
                    "the official name carries the first birth first" + " name only; the full list goes in extension "
                            + FrCorePatient.BIRTH_LIST_GIVEN_NAME);
        }
        if (name.getExtensionByUrl(FrCorePatient.BIRTH_LIST_GIVEN_NAME) == null) {
            throw refused(
                    rule,
                    "Patient.name[official].extension",
                    "the list of birth first names is missing" + " (extension " + FrCorePatient.BIRTH_LIST_GIVEN_NAME
                            + ")");
        }
        List<String> list = FrCorePatient.birthFirstNames(patient);
        if (list.isEmpty()
                || !list.getFirst()
                        .equalsIgnoreCase(name.getGivenAsSingleString().trim())) {
            throw refused(
                    rule,
                    "Patient.name[official].given",
                    "the first given name must be the first name of the" + " birth first-name list");
        }
        if (!patient.hasGender()) {
            throw refused(rule, "Patient.gender", "the sex is missing");
        }
        if (!patient.hasBirthDate()) {
            throw refused(rule, "Patient.birthDate", "the birth date is missing");
        }
        if (FrCorePatient.birthPlaceInsee(patient).isEmpty()) {
            throw refused(
                    rule,
                    "Patient.extension[birthPlace]",
                    "the INSEE code of the birthplace is missing" + " (extension " + FrCorePatient.BIRTH_PLACE
                            + " with " + FrCorePatient.INSEE_CODE + ")");
        }
    }

    private static void checkTraits(Patient patient, Ins ins, String where) {
        String matricule = ins.matricule();
        if (patient.hasGender()) {
            String sex = switch (patient.getGender()) {
                case MALE -> "1";
                case FEMALE -> "2";
                default -> null;
            };
            if (sex != null && !matricule.startsWith(sex)) {
                throw refused(
                        "INS-traits",
                        where,
                        "the matricule's sex digit (" + matricule.charAt(0) + ") contradicts Patient.gender ("
                                + patient.getGender().toCode() + ")");
            }
        }
        if (patient.hasBirthDate()) {
            var birth = patient.getBirthDateElement();
            boolean monthKnown = birth.getPrecision() != TemporalPrecisionEnum.YEAR && !ins.hasUnusualMonth();
            String expected = String.format("%02d", birth.getYear() % 100)
                    + (monthKnown ? String.format("%02d", birth.getMonth() + 1) : "");
            if (!matricule.substring(1, 1 + expected.length()).equals(expected)) {
                throw refused(
                        "INS-traits",
                        where,
                        "the matricule's birth year and month (" + matricule.substring(1, 5)
                                + ") contradict Patient.birthDate (" + birth.getValueAsString() + ")");
            }
        }
    }

    private static UnprocessableEntityException refused(String rule, String where, String why) {
        return new UnprocessableEntityException("Rule " + rule + " failed at " + where + ": " + why);
    }
}
