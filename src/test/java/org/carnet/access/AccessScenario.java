package org.carnet.access;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * The seeded records every access test reads (once per test run, since citizens are matched to their record by their
 * traits and a second Jeanne Dubois born the same day would make her record ambiguous):
 *
 * <ul>
 *   <li>Jeanne Dubois (demo identity {@code jeanne}) holds {@code patJ}. Her rules, set through her own operations:
 *       Dr Moreau médecin traitant; nurse and pharmacist in her care team; the dentist authorised until next year;
 *       Dr Lambert blocked.
 *   <li>Léo Garcia holds {@code patL}; his mother Sophie ({@code sophie}) represents him. Her rules: Dr Moreau
 *       médecin traitant; the nurse in his care team but objected to; the pharmacist authorised then revoked; the
 *       dentist's authorisation expired yesterday; bris de glace refused.
 * </ul>
 *
 * Document types: {@code docJ} 11488-4, {@code docJmasked} 11488-4 masked (MASQUE_PS) and authored by the dentist,
 * {@code docJrx} 57833-6, {@code docJpsy} 28627-8, {@code docJinv} 11502-2 hidden from the holder
 * (INVISIBLE_PATIENT), {@code docLconf} 11488-4 hidden from legal representatives.
 */
public final class AccessScenario {

    static final String MOREAU = DemoIdentities.TRAITANT_IDNAT;
    static final String LAMBERT = "810005820468";
    static final String NURSE = "810100000013";
    static final String PHARMACIST = "810100000021";
    static final String DENTIST = "810100000039";

    /** Resource keys, in table order, to {@code Type/id}. */
    final Map<String, String> refs = new LinkedHashMap<>();

    private static AccessScenario seeded;

    private AccessScenario() {}

    public static synchronized AccessScenario seed(IGenericClient system, Access access) {
        if (seeded == null) {
            seeded = new AccessScenario().build(system, access);
        }
        return seeded;
    }

    /** Talks to the running server as a demo identity. */
    public interface Access {
        IGenericClient as(String identity);

        AccessRules rules();
    }

    public String ref(String key) {
        return refs.get(key);
    }

    public String id(String key) {
        return refs.get(key).split("/")[1];
    }

    private AccessScenario build(IGenericClient system, Access access) {
        practitioner(system, "practMoreau", MOREAU, "Moreau");
        String dentist = practitioner(system, "practDentist", DENTIST, "Blanc");
        Patient jeanne = new Patient();
        jeanne.addName().setFamily("Dubois").addGiven("Jeanne");
        jeanne.setGender(Enumerations.AdministrativeGender.FEMALE).setBirthDateElement(new DateType("1941-03-14"));
        String patJ = create(system, "patJ", jeanne);
        Patient leo = new Patient();
        leo.addName().setFamily("Garcia").addGiven("Léo");
        leo.setGender(Enumerations.AdministrativeGender.MALE).setBirthDateElement(new DateType("2019-04-10"));
        String patL = create(system, "patL", leo);
        RelatedPerson mother = new RelatedPerson();
        mother.setPatient(new Reference(patL));
        mother.addRelationship()
                .addCoding(new Coding(
                        "https://mos.esante.gouv.fr/NOS/TRE_R216-HL7RoleCode/FHIR/TRE-R216-HL7RoleCode",
                        "PRN",
                        "Parent"));
        mother.addName().setFamily("Garcia").addGiven("Sophie");
        mother.setGender(Enumerations.AdministrativeGender.FEMALE).setBirthDateElement(new DateType("1988-06-21"));
        system.create().resource(mother).execute();

        Observation weight = new Observation();
        weight.setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference(patJ));
        weight.setCode(new CodeableConcept(new Coding("http://loinc.org", "29463-7", "Body weight")));
        create(system, "obsJ", weight);
        Condition diabetes = new Condition();
        diabetes.setSubject(new Reference(patJ));
        diabetes.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "44054006", "Diabète de type 2")));
        create(system, "condJ", diabetes);
        MedicationRequest metformin = new MedicationRequest();
        metformin
                .setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setSubject(new Reference(patJ))
                .setMedication(new CodeableConcept().setText("Metformine 1000 mg"));
        create(system, "medJ", metformin);
        create(system, "docJ", document(patJ, "11488-4", null, null));
        create(system, "docJmasked", document(patJ, "11488-4", "MASQUE_PS", dentist));
        create(system, "docJrx", document(patJ, "57833-6", null, null));
        create(system, "docJpsy", document(patJ, "28627-8", null, null));
        create(system, "docJinv", document(patJ, "11502-2", "INVISIBLE_PATIENT", null));
        Immunization vaccine = new Immunization();
        vaccine.setStatus(Immunization.ImmunizationStatus.COMPLETED)
                .setPatient(new Reference(patL))
                .setOccurrence(new DateTimeType("2019-06-11"))
                .setVaccineCode(new CodeableConcept().setText("Hexavalent"));
        create(system, "immL", vaccine);
        create(system, "docLconf", document(patL, "11488-4", "INVISIBLE_REPRESENTANTS_LEGAUX", null));

        // The holders set their rules themselves, through the operations of the API.
        IGenericClient jeanneClient = access.as("jeanne");
        operation(jeanneClient, patJ, "$designate-traitant", "practitioner", MOREAU);
        operation(jeanneClient, patJ, "$add-care-team", "practitioner", NURSE);
        operation(jeanneClient, patJ, "$add-care-team", "practitioner", PHARMACIST);
        Parameters dentistUntil = new Parameters();
        dentistUntil.addParameter().setName("practitioner").setValue(new StringType(DENTIST));
        dentistUntil
                .addParameter()
                .setName("until")
                .setValue(new DateTimeType(java.util.Date.from(Instant.now().plus(365, ChronoUnit.DAYS))));
        jeanneClient
                .operation()
                .onInstance(patJ)
                .named("$authorise")
                .withParameters(dentistUntil)
                .execute();
        operation(jeanneClient, patJ, "$block", "practitioner", LAMBERT);

        IGenericClient sophie = access.as("sophie");
        operation(sophie, patL, "$designate-traitant", "practitioner", MOREAU);
        operation(sophie, patL, "$add-care-team", "practitioner", NURSE);
        operation(sophie, patL, "$object", "practitioner", NURSE);
        operation(sophie, patL, "$authorise", "practitioner", PHARMACIST);
        operation(sophie, patL, "$revoke", "practitioner", PHARMACIST);
        Parameters refuse = new Parameters();
        refuse.addParameter().setName("mode").setValue(new CodeType("bris-de-glace"));
        sophie.operation()
                .onInstance(patL)
                .named("$refuse-mode")
                .withParameters(refuse)
                .execute();
        // An authorisation that has run out: no operation accepts a date in the past, so it is written directly.
        access.rules()
                .add(
                        patL.split("/")[1],
                        AccessRules.Kind.AUTHORISED,
                        DENTIST,
                        Instant.now().minus(1, ChronoUnit.DAYS),
                        "test");
        return this;
    }

    private static void operation(IGenericClient client, String patient, String name, String param, String value) {
        Parameters in = new Parameters();
        in.addParameter().setName(param).setValue(new StringType(value));
        client.operation().onInstance(patient).named(name).withParameters(in).execute();
    }

    private String practitioner(IGenericClient system, String key, String idNat, String family) {
        Practitioner practitioner = new Practitioner();
        practitioner.addIdentifier().setSystem("urn:oid:1.2.250.1.71.4.2.1").setValue(idNat);
        practitioner.addName().setFamily(family);
        return create(system, key, practitioner);
    }

    private String create(IGenericClient system, String key, Resource resource) {
        String id = system.create()
                .resource(resource)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        refs.put(key, id);
        return id;
    }

    private static DocumentReference document(String patient, String loinc, String label, String author) {
        DocumentReference document = new DocumentReference();
        document.setStatus(Enumerations.DocumentReferenceStatus.CURRENT).setSubject(new Reference(patient));
        document.setType(new CodeableConcept(new Coding("http://loinc.org", loinc, null)));
        document.addContent().getAttachment().setContentType("text/plain").setData("compte rendu".getBytes());
        if (label != null) {
            document.getMeta()
                    .addSecurity(new Coding("https://carnet.example.org/fhir/CodeSystem/dmp-visibility", label, null));
        }
        if (author != null) {
            document.addAuthor(new Reference(author));
        }
        return document;
    }
}
