package org.carnet.identity;

import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;

/** Test patients in the FR Core shape: provisional ones (traits only) and qualified ones (INS under the test OID). */
public final class InsPatients {

    private InsPatients() {}

    /** A provisional identity: official name with its first-name list, sex, birth date, optional birthplace. */
    public static Patient provisional(String birthName, String firstNames, String sex, String birthDate, String insee) {
        Patient patient = new Patient();
        patient.addIdentifier()
                .setSystem("urn:carnet:test")
                .setValue(java.util.UUID.randomUUID().toString());
        List<String> names = List.of(firstNames.split(" "));
        FrCorePatient.setStrictTraits(patient, birthName, names, null);
        if (insee != null) {
            FrCorePatient.setBirthPlace(patient, insee, null);
        }
        patient.setGender("M".equals(sex) ? AdministrativeGender.MALE : AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new DateType(birthDate));
        FrCorePatient.setReliability(patient, new FrCorePatient.Reliability(null, "SM", null, null, null, Set.of()));
        return patient;
    }

    /** A qualified identity: INS from INSi (test OID) and a check against an identity card. */
    public static Patient qualified(
            String matricule, String birthName, String firstNames, String sex, String birthDate, String insee) {
        Patient patient = provisional(birthName, firstNames, sex, birthDate, insee);
        FrCorePatient.setOfficialIns(patient, Ins.parse(matricule, Ins.Kind.NIR_TEST));
        FrCorePatient.setReliability(
                patient, new FrCorePatient.Reliability(null, "INSI", "2026-11-20", "CN", "2026-11-20", Set.of()));
        return patient;
    }

    /** The usual (used) name, e.g. a married name. */
    public static Patient withUsedName(Patient patient, String family, String given) {
        patient.addName().setUse(HumanName.NameUse.USUAL).setFamily(family).addGiven(given);
        return patient;
    }
}
