package org.carnet.identity;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.carnet.record.ResourceRules;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * The INS rules on every stored Patient: an identifier under an INS OID holds a valid matricule, typed
 * {@code INS-NIR} or {@code INS-NIA} (FR Core), consistent with the patient's sex and birth date. The billing
 * NIR shares the OID but is typed {@code NH}: it is told apart by its type and checked for shape and key only.
 */
@Component
class PatientIdentityRules implements ResourceRules {

    static final String FR_CORE_ID_TYPE = IdentifierSystems.FR_CORE_ID_TYPE;

    @Override
    public void check(Resource resource) {
        if (!(resource instanceof Patient patient)) {
            return;
        }
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
                throw new UnprocessableEntityException("Rule INS-matricule failed at " + where + ": " + e.getMessage());
            }
            String type = typeCode(identifier);
            if ("NH".equals(type)) {
                continue;
            }
            String expectedType = kind == Ins.Kind.NIA ? "INS-NIA" : "INS-NIR";
            if (!expectedType.equals(type)) {
                throw new UnprocessableEntityException("Rule INS-type failed at " + where + ": an INS under "
                        + kind.oid + " is typed " + expectedType + " (system " + FR_CORE_ID_TYPE + "), or NH for"
                        + " the billing NIR; found " + (type == null ? "no type" : type));
            }
            checkTraits(patient, ins, where);
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
                throw new UnprocessableEntityException("Rule INS-traits failed at " + where
                        + ": the matricule's sex digit (" + matricule.charAt(0) + ") contradicts Patient.gender ("
                        + patient.getGender().toCode() + ")");
            }
        }
        if (patient.hasBirthDate()) {
            var birth = patient.getBirthDateElement();
            boolean monthKnown = birth.getPrecision() != ca.uhn.fhir.model.api.TemporalPrecisionEnum.YEAR
                    && !ins.hasUnusualMonth();
            String expected = String.format("%02d", birth.getYear() % 100)
                    + (monthKnown ? String.format("%02d", birth.getMonth() + 1) : "");
            if (!matricule.substring(1, 1 + expected.length()).equals(expected)) {
                throw new UnprocessableEntityException("Rule INS-traits failed at " + where
                        + ": the matricule's birth year and month (" + matricule.substring(1, 5)
                        + ") contradict Patient.birthDate (" + patient.getBirthDateElement().getValueAsString() + ")");
            }
        }
    }

    private static String typeCode(Identifier identifier) {
        return identifier.getType().getCoding().stream()
                .filter(c -> FR_CORE_ID_TYPE.equals(c.getSystem()) || c.getSystem() == null)
                .map(c -> c.getCode())
                .findFirst()
                .orElse(null);
    }
}
