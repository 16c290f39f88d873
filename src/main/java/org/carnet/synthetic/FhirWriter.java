package org.carnet.synthetic;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import org.carnet.identity.FrCorePatient;
import org.carnet.identity.IdentifierSystems;
import org.carnet.identity.Ins;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes a synthetic record as FHIR R4 transaction Bundles, as a sending system would: every resource is a
 * {@code PUT} to a deterministic id derived from the data set and the record, so loading the same output twice
 * changes nothing but version numbers, and two data sets never collide. Identifiers follow the French
 * conventions: INS under its OID with the FR Core type, IdNat_PS and RPPS for practitioners, FINESS for
 * organisations, the producer's uniqueId as {@code DocumentReference.masterIdentifier}.
 */
final class FhirWriter {

    static final String IDNAT_PS = IdentifierSystems.IDNAT_PS;
    static final String RPPS = IdentifierSystems.RPPS;
    static final String FINESS = IdentifierSystems.FINESS;
    static final String FR_CORE_ID_TYPE = IdentifierSystems.FR_CORE_ID_TYPE;
    static final String LOINC = "http://loinc.org";
    static final String ATC = "http://www.whocc.no/atc";
    static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String PROFESSION = IdentifierSystems.PROFESSION;
    static final String SPECIALTY = IdentifierSystems.SPECIALTY;
    static final String DOC_CLASS = "https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument";
    private static final String IDENTITY_CHECKED_ON = "2026-01-15";
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final TimeZone PARIS_TZ = TimeZone.getTimeZone(PARIS);

    private final String dataSet;

    /** @param dataSet a short name of the data set (profile and seed) that prefixes every id */
    FhirWriter(String dataSet) {
        this.dataSet = dataSet;
    }

    /** The practitioners, their roles and the organisations, as one transaction. */
    Bundle directory(Directory directory) {
        Bundle bundle = transaction();
        for (Model.Organisation org : directory.organisations().values()) {
            Organization organization = new Organization();
            organization.setId(id("Organization", org.key()));
            organization.addIdentifier().setSystem(FINESS).setValue(org.finess());
            organization.setName(org.name()).setActive(true);
            organization.addType().setText(org.kind());
            organization.addAddress(address(org.address()).setUse(Address.AddressUse.WORK));
            put(bundle, organization);
        }
        for (Model.Professional pro : directory.professionals().values()) {
            Practitioner practitioner = new Practitioner();
            practitioner.setId(id("Practitioner", pro.key()));
            practitioner.addIdentifier().setSystem(IDNAT_PS).setValue(pro.idNatPs());
            practitioner.addIdentifier().setSystem(RPPS).setValue(pro.rpps());
            practitioner
                    .addName()
                    .setFamily(pro.family())
                    .addGiven(pro.given())
                    .addPrefix(pro.profession().code().equals("10") ? "Dr" : null);
            practitioner.setGender(gender(pro.sex())).setActive(true);
            practitioner
                    .addQualification()
                    .setCode(new CodeableConcept(new Coding(
                            PROFESSION,
                            pro.profession().code(),
                            pro.profession().label())));
            put(bundle, practitioner);
            PractitionerRole role = new PractitionerRole();
            role.setId(id("PractitionerRole", pro.key()));
            role.setActive(true)
                    .setPractitioner(ref("Practitioner", pro.key()))
                    .setOrganization(ref("Organization", pro.organisationKey()));
            role.addCode(new CodeableConcept(new Coding(
                    PROFESSION, pro.profession().code(), pro.profession().label())));
            if (pro.profession().specialtyCode() != null) {
                role.addSpecialty(new CodeableConcept(new Coding(
                        SPECIALTY,
                        pro.profession().specialtyCode(),
                        pro.profession().specialtyLabel())));
            }
            put(bundle, role);
        }
        return bundle;
    }

    /**
     * The record as transactions of at most {@code maxEntries} entries each (a heavy record does not fit one
     * request); the Patient comes first, every later bundle refers to it by id.
     */
    List<Bundle> record(Model.PatientRecord record, Directory directory, int maxEntries) {
        Chunks chunks = new Chunks(maxEntries);
        chunks.add(patient(record));
        for (Model.Encounter e : record.encounters()) {
            chunks.add(encounter(record, e));
        }
        int n = 0;
        for (Model.Condition c : record.conditions()) {
            chunks.add(condition(record, c, n++));
        }
        for (Model.Medication m : record.medications()) {
            chunks.add(medication(record, m, n++));
        }
        for (Model.Measurement m : record.measurements()) {
            chunks.add(observation(record, m, n++));
        }
        for (Model.Allergy a : record.allergies()) {
            chunks.add(allergy(record, a, n++));
        }
        for (Model.Immunization i : record.immunizations()) {
            chunks.add(immunization(record, i, n++));
        }
        for (Model.Appointment a : record.appointments()) {
            chunks.add(appointment(record, a, n++));
        }
        for (Model.Document d : record.documents()) {
            chunks.add(document(record, d, directory));
        }
        return chunks.bundles;
    }

    private Patient patient(Model.PatientRecord record) {
        Model.Identity who = record.identity();
        Patient patient = new Patient();
        patient.setId(id("Patient", record.key()));
        FrCorePatient.setOfficialIns(
                patient, Ins.parse(who.nir(), Ins.Kind.ofOid(who.insOid()).orElseThrow()));
        FrCorePatient.setStrictTraits(patient, who.birthFamily(), who.birthGivens(), null);
        if (!who.usedFamily().equals(who.birthFamily())) {
            patient.addName()
                    .setUse(HumanName.NameUse.USUAL)
                    .setFamily(who.usedFamily())
                    .addGiven(who.firstGiven());
        }
        // Synthetic identities are qualified: INS retrieved from INSi and checked against an identity card.
        FrCorePatient.setReliability(
                patient,
                new FrCorePatient.Reliability(null, "INSI", IDENTITY_CHECKED_ON, "CN", IDENTITY_CHECKED_ON, Set.of()));
        patient.setGender(gender(who.sex()));
        patient.setBirthDateElement(new DateType(who.birthDate().toString()));
        patient.addAddress(address(who.address()));
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(who.phone());
        FrCorePatient.setBirthPlace(patient, who.birthplaceInsee(), who.birthplaceName());
        patient.addGeneralPractitioner(ref("Practitioner", record.treatingPhysicianKey()));
        for (Model.Identity parent : record.parents()) {
            Patient.ContactComponent contact = patient.addContact();
            contact.addRelationship(new CodeableConcept(new Coding(
                    "https://mos.esante.gouv.fr/NOS/TRE_R216-HL7RoleCode/FHIR/TRE-R216-HL7RoleCode", "PRN", "parent")));
            contact.setName(new HumanName().setFamily(parent.usedFamily()).addGiven(parent.firstGiven()));
            contact.addTelecom()
                    .setSystem(ContactPoint.ContactPointSystem.PHONE)
                    .setValue(parent.phone());
        }
        return patient;
    }

    private Encounter encounter(Model.PatientRecord record, Model.Encounter e) {
        Encounter encounter = new Encounter();
        encounter.setId(id("Encounter", e.key()));
        encounter.setStatus(Encounter.EncounterStatus.FINISHED);
        encounter.setClass_(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                e.kind(),
                switch (e.kind()) {
                    case "IMP" -> "inpatient encounter";
                    case "EMER" -> "emergency";
                    default -> "ambulatory";
                }));
        encounter.setSubject(patientRef(record));
        encounter.setPeriod(new Period().setStartElement(dateTime(e.start())).setEndElement(dateTime(e.end())));
        encounter.addParticipant().setIndividual(ref("Practitioner", e.practitionerKey()));
        encounter.setServiceProvider(ref("Organization", e.organisationKey()));
        encounter.addReasonCode().setText(e.reason());
        return encounter;
    }

    private Condition condition(Model.PatientRecord record, Model.Condition c, int n) {
        Condition condition = new Condition();
        condition.setId(id("Condition", record.key() + "-" + n));
        condition.setClinicalStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", c.active() ? "active" : "resolved", null)));
        condition.setVerificationStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", null)));
        condition.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")));
        condition.setCode(new CodeableConcept(new Coding(ICD10, c.icd10(), c.label())).setText(c.label()));
        condition.setSubject(patientRef(record));
        condition.setOnset(new DateTimeType(c.onset().toString()));
        condition.setRecordedDateElement(new DateTimeType(c.onset().toString()));
        return condition;
    }

    private MedicationRequest medication(Model.PatientRecord record, Model.Medication m, int n) {
        MedicationRequest request = new MedicationRequest();
        request.setId(id("MedicationRequest", record.key() + "-" + n));
        request.setStatus(
                m.end() == null
                        ? MedicationRequest.MedicationRequestStatus.ACTIVE
                        : MedicationRequest.MedicationRequestStatus.COMPLETED);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setMedication(new CodeableConcept(new Coding(ATC, m.atc(), m.name())).setText(m.name()));
        request.setSubject(patientRef(record));
        request.setAuthoredOnElement(new DateTimeType(m.start().toString()));
        request.setRequester(ref("Practitioner", m.prescriberKey()));
        request.addDosageInstruction().setText(m.dosage());
        return request;
    }

    private Observation observation(Model.PatientRecord record, Model.Measurement m, int n) {
        Observation observation = new Observation();
        observation.setId(id("Observation", record.key() + "-" + n));
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category",
                m.category(),
                "laboratory".equals(m.category()) ? "Laboratory" : "Vital Signs")));
        observation.setCode(new CodeableConcept(new Coding(LOINC, m.loinc(), m.label())).setText(m.label()));
        observation.setSubject(patientRef(record));
        observation.setEffective(dateTime(m.at()));
        observation.setValue(new Quantity()
                .setValue(m.value())
                .setUnit(m.unit())
                .setSystem(UCUM)
                .setCode(m.ucum()));
        if (m.low() != null || m.high() != null) {
            Observation.ObservationReferenceRangeComponent range = observation.addReferenceRange();
            if (m.low() != null) {
                range.setLow(new Quantity()
                        .setValue(m.low())
                        .setUnit(m.unit())
                        .setSystem(UCUM)
                        .setCode(m.ucum()));
            }
            if (m.high() != null) {
                range.setHigh(new Quantity()
                        .setValue(m.high())
                        .setUnit(m.unit())
                        .setSystem(UCUM)
                        .setCode(m.ucum()));
            }
            String flag =
                    m.high() != null && m.value() > m.high() ? "H" : m.low() != null && m.value() < m.low() ? "L" : "N";
            observation.addInterpretation(new CodeableConcept(
                    new Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", flag, null)));
        }
        return observation;
    }

    private AllergyIntolerance allergy(Model.PatientRecord record, Model.Allergy a, int n) {
        AllergyIntolerance allergy = new AllergyIntolerance();
        allergy.setId(id("AllergyIntolerance", record.key() + "-" + n));
        allergy.setClinicalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", null)));
        allergy.setVerificationStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed", null)));
        allergy.setCode(
                new CodeableConcept(new Coding("http://snomed.info/sct", a.code(), null)).setText(a.substance()));
        allergy.setPatient(patientRef(record));
        allergy.addReaction().addManifestation(new CodeableConcept().setText(a.reaction()));
        return allergy;
    }

    private Immunization immunization(Model.PatientRecord record, Model.Immunization i, int n) {
        Immunization immunization = new Immunization();
        immunization.setId(id("Immunization", record.key() + "-" + n));
        immunization.setStatus(Immunization.ImmunizationStatus.COMPLETED);
        immunization.setVaccineCode(new CodeableConcept(new Coding(ATC, i.code(), i.vaccine())).setText(i.vaccine()));
        immunization.setPatient(patientRef(record));
        immunization.setOccurrence(new DateTimeType(i.date().toString()));
        return immunization;
    }

    private Appointment appointment(Model.PatientRecord record, Model.Appointment a, int n) {
        Appointment appointment = new Appointment();
        appointment.setId(id("Appointment", record.key() + "-" + n));
        appointment.setStatus(Appointment.AppointmentStatus.BOOKED);
        appointment.setDescription(a.description());
        appointment.setStart(instant(a.start())).setEnd(instant(a.start().plusMinutes(a.minutes())));
        appointment.addParticipant().setActor(patientRef(record)).setStatus(Appointment.ParticipationStatus.ACCEPTED);
        appointment
                .addParticipant()
                .setActor(ref("Practitioner", a.practitionerKey()))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return appointment;
    }

    private DocumentReference document(Model.PatientRecord record, Model.Document d, Directory directory) {
        DocumentReference doc = new DocumentReference();
        doc.setId(id("DocumentReference", d.uniqueId()));
        doc.setMasterIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:oid:" + d.uniqueId()));
        doc.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        doc.setType(new CodeableConcept(new Coding(LOINC, d.kind().loinc, d.kind().label)));
        doc.addCategory(new CodeableConcept(new Coding(DOC_CLASS, d.kind().classCode, null)));
        doc.setSubject(patientRef(record));
        doc.setDate(Date.from(d.date().atZone(PARIS).toInstant()));
        doc.addAuthor(ref("Practitioner", d.authorKey()));
        doc.setCustodian(ref("Organization", d.organisationKey()));
        doc.setDescription(d.title());
        doc.addSecurityLabel(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "N", "normal")));
        byte[] text = d.text().getBytes(StandardCharsets.UTF_8);
        Attachment attachment = new Attachment()
                .setContentType("text/plain; charset=utf-8")
                .setLanguage("fr-FR")
                .setData(text)
                .setTitle(d.title())
                .setSize(text.length)
                .setHash(sha1(text))
                .setCreationElement(dateTime(d.date()));
        doc.addContent()
                .setAttachment(attachment)
                .setFormat(new Coding(
                        "http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode",
                        "urn:ihe:iti:xds:2017:mimeTypeSufficient",
                        "mimeType Sufficient"));
        doc.getContext().setPeriod(new Period().setStartElement(dateTime(d.date())));
        String author = java.util.Objects.requireNonNull(
                        directory.professional(d.authorKey()), "a document's author is in the directory")
                .profession()
                .specialtyLabel();
        if (author != null) {
            doc.getContext().setPracticeSetting(new CodeableConcept().setText(author));
        }
        return doc;
    }

    String id(String type, String key) {
        // Deterministic, valid FHIR ids (≤ 64 chars), distinct per data set, type and key.
        return UUID.nameUUIDFromBytes((dataSet + "/" + type + "/" + key).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private Reference ref(String type, String key) {
        return new Reference(type + "/" + id(type, key));
    }

    private Reference patientRef(Model.PatientRecord record) {
        return ref("Patient", record.key());
    }

    private static Bundle transaction() {
        return new Bundle().setType(Bundle.BundleType.TRANSACTION);
    }

    private static void put(Bundle bundle, Resource resource) {
        String id = resource.getIdElement().getIdPart();
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + id)
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(resource.fhirType() + "/" + id);
    }

    private static Address address(Model.Address a) {
        return new Address()
                .setUse(Address.AddressUse.HOME)
                .addLine(a.line())
                .setPostalCode(a.postalCode())
                .setCity(a.city())
                .setCountry("FR");
    }

    private static Enumerations.AdministrativeGender gender(Model.Sex sex) {
        return sex == Model.Sex.FEMALE
                ? Enumerations.AdministrativeGender.FEMALE
                : Enumerations.AdministrativeGender.MALE;
    }

    private static DateTimeType dateTime(LocalDateTime at) {
        return new DateTimeType(Date.from(at.atZone(PARIS).toInstant()), TemporalPrecisionEnum.SECOND, PARIS_TZ);
    }

    private static Date instant(LocalDateTime at) {
        return Date.from(at.atZone(PARIS).toInstant());
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Splits entries into transactions of bounded size. */
    private static final class Chunks {
        final int max;
        final List<Bundle> bundles = new java.util.ArrayList<>();

        Chunks(int max) {
            this.max = max;
        }

        void add(Resource resource) {
            if (bundles.isEmpty() || bundles.get(bundles.size() - 1).getEntry().size() >= max) {
                bundles.add(transaction());
            }
            put(bundles.get(bundles.size() - 1), resource);
        }
    }
}
