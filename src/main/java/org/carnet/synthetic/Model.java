package org.carnet.synthetic;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/** The generator's own model of a synthetic record, before it is written in any format. */
final class Model {

    private Model() {}

    enum Sex {
        MALE,
        FEMALE
    }

    /** RNIV identity status. */
    enum IdentityStatus {
        PROV,
        RECUP,
        VALI,
        QUAL
    }

    record Address(String line, String postalCode, String city, String inseeCode) {}

    /**
     * A person's identity as the identity-vigilance rules see it.
     *
     * @param nir the 15-character matricule (13 + 2-digit key), always under a test or demo OID
     * @param insOid {@code 1.2.250.1.213.1.4.10} (test) or {@code 1.2.250.1.213.1.4.11} (demo)
     */
    record Identity(
            String birthFamily,
            String usedFamily,
            List<String> birthGivens,
            Sex sex,
            LocalDate birthDate,
            String birthplaceInsee,
            String birthplaceName,
            String nir,
            String insOid,
            IdentityStatus status,
            Address address,
            String phone) {

        String firstGiven() {
            return birthGivens.get(0);
        }
    }

    /** A profession from the RPPS nomenclature (e.g. 10 médecin) with an optional specialty. */
    record Profession(
            String code,
            String label,
            @org.jspecify.annotations.Nullable String specialtyCode,
            @org.jspecify.annotations.Nullable String specialtyLabel) {}

    record Professional(
            String key,
            String rpps,
            String family,
            String given,
            Sex sex,
            Profession profession,
            String organisationKey) {

        /** IdNat_PS: 8 followed by the 11-digit RPPS. */
        String idNatPs() {
            return "8" + rpps;
        }
    }

    /** kind: hospital, lab, pharmacy, practice. */
    record Organisation(String key, String finess, String name, String kind, Address address) {}

    record Condition(String icd10, String label, LocalDate onset, boolean active) {}

    record Medication(
            String atc,
            String name,
            String dosage,
            LocalDate start,
            @org.jspecify.annotations.Nullable LocalDate end,
            String prescriberKey) {}

    /** A lab result or vital sign. */
    record Measurement(
            LocalDateTime at,
            String loinc,
            String label,
            double value,
            String unit,
            String ucum,
            String category,
            @org.jspecify.annotations.Nullable Double low,
            @org.jspecify.annotations.Nullable Double high) {}

    record Allergy(String substance, String code, String reaction) {}

    record Immunization(LocalDate date, String vaccine, String code) {}

    /** kind: AMB (consultation), IMP (hospitalisation), EMER (urgences). */
    record Encounter(
            String key,
            String kind,
            LocalDateTime start,
            LocalDateTime end,
            String reason,
            String practitionerKey,
            String organisationKey) {}

    record Appointment(LocalDateTime start, int minutes, String description, String practitionerKey) {}

    /** One line of the insurer's reimbursement history. */
    record Reimbursement(
            LocalDate date, String act, String label, double amount, double reimbursed, String practitionerKey) {}

    /**
     * How a concept appears in a document: asserted about the patient, negated ("pas de chute"), about a family
     * member ("mère diabétique"), only suspected ("suspicion de…"), or said of patients in general (advice, a
     * leaflet: "les chutes sont fréquentes après 80 ans").
     */
    enum Polarity {
        AFFIRMED,
        NEGATED,
        FAMILY,
        HYPOTHETICAL,
        GENERIC
    }

    /**
     * What in a document carries a concept: its words, only its numbers (a falling weight series, a low
     * haemoglobin), or only a drug's name (apixaban, without the word anticoagulant).
     */
    enum Evidence {
        TEXT,
        NUMBERS,
        DRUGS
    }

    /**
     * A concept the generator put in a document, and how. {@code concept} is a key of {@link Concepts} for
     * {@link Evidence#TEXT}, or of the judgments' number and drug queries.
     */
    record Mention(String concept, Polarity polarity, Evidence evidence) {

        Mention(String concept, Polarity polarity) {
            this(concept, polarity, Evidence.TEXT);
        }
    }

    /** What kind of document: its LOINC type, DMP class and French label. */
    enum DocKind {
        CONSULTATION("11488-4", "10", "Compte rendu de consultation"),
        LETTRE_LIAISON("11490-0", "10", "Lettre de liaison de sortie"),
        CR_HOSPITALISATION("34112-3", "10", "Compte rendu d'hospitalisation"),
        CR_BIOLOGIE("11502-2", "10", "Compte rendu de biologie"),
        CR_IMAGERIE("18748-4", "31", "Compte rendu d'imagerie"),
        CR_OPERATOIRE("34874-8", "10", "Compte rendu opératoire"),
        URGENCES("15507-7", "10", "Compte rendu d'urgences"),
        ORDONNANCE("57833-6", "42", "Prescription de produits de santé"),
        SYNTHESE("60591-5", "11", "Synthèse médicale"),
        NOTE_INFIRMIERE("34746-8", "10", "Note infirmière"),
        NOTE_EVOLUTION("11506-3", "10", "Note d'évolution"),
        KINESITHERAPIE("11508-9", "10", "Bilan et suivi de kinésithérapie"),
        SURVEILLANCE("8716-3", "10", "Relevé de surveillance"),
        DISPENSATION("60593-1", "43", "Dispensation");

        final String loinc;
        final String classCode;
        final String label;

        DocKind(String loinc, String classCode, String label) {
            this.loinc = loinc;
            this.classCode = classCode;
            this.label = label;
        }
    }

    /**
     * A clinical document.
     *
     * @param uniqueId the producer's unique id (DMP uniqueId, FHIR masterIdentifier), an OID-rooted value
     * @param duplicateOf the uniqueId of the document this one copies (the same letter sent twice), or null
     */
    record Document(
            String uniqueId,
            DocKind kind,
            LocalDateTime date,
            String authorKey,
            String organisationKey,
            String title,
            String text,
            List<Mention> mentions,
            @org.jspecify.annotations.Nullable String duplicateOf) {}

    /** Everything the generator knows about one patient. */
    record PatientRecord(
            String key,
            Identity identity,
            String treatingPhysicianKey,
            List<Identity> parents,
            List<Condition> conditions,
            List<Medication> medications,
            List<Measurement> measurements,
            List<Allergy> allergies,
            List<Immunization> immunizations,
            List<Encounter> encounters,
            List<Appointment> appointments,
            List<Document> documents,
            List<Reimbursement> reimbursements) {}
}
