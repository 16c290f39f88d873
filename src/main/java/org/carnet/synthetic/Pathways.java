package org.carnet.synthetic;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Care pathways that make clinical sense over years: chronic diseases arriving with age and their treatments,
 * follow-up consultations, lab results with plausible values and trends, hospital stays and visits to the
 * urgences, vaccinations, and the documents each of these produces, in French prose, with weak signals buried
 * among routine notes.
 */
final class Pathways {

    /** A chronic disease the generator knows how to follow. */
    enum Disease {
        HTA("I10", "Hypertension artérielle essentielle", 40, 15, 1.2),
        DT2("E11.9", "Diabète de type 2 sans complication", 40, 8, 0.4),
        FA("I48.9", "Fibrillation auriculaire, sans précision", 60, 5, 0.5),
        IC("I50.9", "Insuffisance cardiaque, sans précision", 65, 4, 0.4),
        IRC("N18.3", "Maladie rénale chronique, stade 3", 60, 8, 0.5),
        BPCO("J44.9", "Bronchopneumopathie chronique obstructive", 45, 6, 0.1),
        COGNITIF("F03", "Troubles cognitifs (démence, sans précision)", 75, 10, 1.5),
        CANCER_SEIN("C50.9", "Tumeur maligne du sein", 50, 3, 0.05),
        ASTHME("J45.9", "Asthme, sans précision", 5, 6, 0);

        final String icd10;
        final String label;
        final int fromAge;
        final double basePercent;
        final double perYear;

        Disease(String icd10, String label, int fromAge, double basePercent, double perYear) {
            this.icd10 = icd10;
            this.label = label;
            this.fromAge = fromAge;
            this.basePercent = basePercent;
            this.perYear = perYear;
        }
    }

    private record Drug(String atc, String name, String dosage) {}

    private static final java.util.Map<Disease, List<Drug>> TREATMENTS = java.util.Map.of(
            Disease.HTA,
                    List.of(
                            new Drug("C09AA05", "Ramipril 5 mg", "1 comprimé le matin"),
                            new Drug("C08CA01", "Amlodipine 5 mg", "1 comprimé le soir")),
            Disease.DT2,
                    List.of(
                            new Drug("A10BA02", "Metformine 1000 mg", "1 comprimé matin et soir au cours du repas"),
                            new Drug("A10BK01", "Dapagliflozine 10 mg", "1 comprimé le matin")),
            Disease.FA,
                    List.of(
                            new Drug("B01AF02", "Apixaban 5 mg", "1 comprimé matin et soir"),
                            new Drug("C07AB07", "Bisoprolol 2,5 mg", "1 comprimé le matin")),
            Disease.IC, List.of(new Drug("C03CA01", "Furosémide 40 mg", "1 comprimé le matin")),
            Disease.IRC, List.of(new Drug("C10AA05", "Atorvastatine 20 mg", "1 comprimé le soir")),
            Disease.BPCO, List.of(new Drug("R03BB04", "Tiotropium 18 µg", "1 inhalation par jour")),
            Disease.COGNITIF, List.of(new Drug("N06DA02", "Donépézil 5 mg", "1 comprimé au coucher")),
            Disease.CANCER_SEIN, List.of(new Drug("L02BG03", "Anastrozole 1 mg", "1 comprimé par jour")),
            Disease.ASTHME,
                    List.of(new Drug("R03AK06", "Salmétérol/fluticasone 50/250 µg", "1 inhalation matin et soir")));

    private final Directory directory;
    private final ClinicalProse prose = new ClinicalProse();
    private final List<String> generalists;
    private final List<String> nurses;
    private final List<String> hospitalDoctors;
    private final List<String> biologists;
    private final List<String> radiologists;
    private final List<String> specialists;

    Pathways(Directory directory) {
        this.directory = directory;
        this.generalists = keys(Professionals.GENERALISTE);
        this.nurses = keys(Professionals.INFIRMIER);
        this.hospitalDoctors = concat(keys(Professionals.URGENTISTE), keys(Professionals.GERIATRE));
        this.biologists = keys(Professionals.BIOLOGISTE);
        this.radiologists = keys(Professionals.RADIOLOGUE);
        this.specialists = concat(
                concat(keys(Professionals.CARDIOLOGUE), keys(Professionals.ENDOCRINOLOGUE)),
                concat(keys(Professionals.NEPHROLOGUE), keys(Professionals.PNEUMOLOGUE)));
    }

    /**
     * The knobs of one record: how many years it spans and how dense its follow-up is.
     *
     * @param stayPercent chance, at each follow-up visit, of a hospital stay or a visit to the urgences (0 = by
     *     the patient's conditions)
     * @param nursingYears how many of the last years have home nursing notes
     */
    record Intensity(
            int years, int gpEveryDays, int nurseNotesPerWeek, double signalRate, int stayPercent, int nursingYears) {
        static final Intensity ORDINARY = new Intensity(12, 120, 0, 0.08, 0, 0);
    }

    Model.PatientRecord record(
            String key,
            Model.Identity identity,
            LocalDate today,
            Intensity intensity,
            List<Disease> forced,
            SplittableRandom random) {
        Builder b = new Builder(key, identity, today, random, FrenchPeople.pick(generalists, random));
        int age = (int) ChronoUnit.YEARS.between(identity.birthDate(), today);
        if (age < 18) {
            b.parents.add(parent(identity, Model.Sex.FEMALE, random));
            b.parents.add(parent(identity, Model.Sex.MALE, random));
            childhoodVaccinations(b);
        }
        List<Disease> diseases = new ArrayList<>(forced);
        for (Disease disease : Disease.values()) {
            if (!diseases.contains(disease)
                    && age >= disease.fromAge
                    && random.nextDouble() * 100 < disease.basePercent + (age - disease.fromAge) * disease.perYear
                    && (disease != Disease.CANCER_SEIN || identity.sex() == Model.Sex.FEMALE)) {
                diseases.add(disease);
            }
        }
        LocalDate start =
                latest(today.minusYears(intensity.years()), identity.birthDate().plusYears(1));
        for (Disease disease : diseases) {
            LocalDate onset = between(
                    latest(start, identity.birthDate().plusYears(disease.fromAge - 5)), today.minusMonths(6), random);
            b.conditions.add(new Model.Condition(disease.icd10, disease.label, onset, true));
            for (Drug drug : java.util.Objects.requireNonNull(TREATMENTS.get(disease), "every disease has its drugs")) {
                b.medications.add(new Model.Medication(drug.atc(), drug.name(), drug.dosage(), onset, null, b.gp));
            }
        }
        if (random.nextInt(100) < 15) {
            b.allergies.add(FrenchPeople.pick(
                    List.of(
                            new Model.Allergy("Pénicilline", "764146007", "Urticaire généralisée"),
                            new Model.Allergy("Produits de contraste iodés", "293637006", "Érythème et prurit"),
                            new Model.Allergy("Anti-inflammatoires non stéroïdiens", "293585002", "Bronchospasme"),
                            new Model.Allergy("Arachide", "91935009", "Œdème de Quincke")),
                    random));
        }
        followUp(b, start, diseases, intensity);
        if (age >= 65) {
            for (int year = start.getYear(); year <= today.getYear(); year++) {
                LocalDate date = LocalDate.of(year, 10, 15 + random.nextInt(40) % 16);
                if (!date.isAfter(today)) {
                    b.immunizations.add(new Model.Immunization(date, "Vaccin grippal saisonnier", "J07BB02"));
                }
            }
        }
        for (int i = 0; i < 1 + random.nextInt(2); i++) {
            b.appointments.add(new Model.Appointment(
                    today.plusDays(7 + random.nextInt(120))
                            .atTime(8 + random.nextInt(10), random.nextBoolean() ? 0 : 30),
                    random.nextBoolean() ? 20 : 30,
                    "Consultation de suivi",
                    b.gp));
        }
        return b.build();
    }

    private void followUp(Builder b, LocalDate start, List<Disease> diseases, Intensity intensity) {
        SplittableRandom random = b.random;
        boolean chronic = !diseases.isEmpty();
        int every = chronic ? intensity.gpEveryDays() : 200 + random.nextInt(200);
        double weight = b.identity.sex() == Model.Sex.FEMALE ? 58 + random.nextInt(25) : 70 + random.nextInt(25);
        for (LocalDate day = start.plusDays(random.nextInt(60));
                day.isBefore(b.today);
                day = day.plusDays(Math.max(7, every - 20 + random.nextInt(41)))) {
            LocalDateTime at = day.atTime(8 + random.nextInt(11), random.nextInt(4) * 15);
            boolean declining = diseases.contains(Disease.COGNITIF) && day.isAfter(b.today.minusYears(2));
            weight += declining ? -0.25 - random.nextDouble() * 0.3 : random.nextGaussian() * 0.6;
            vitals(b, at, weight);
            Model.Encounter visit = b.encounter("AMB", at, 20, "Consultation de suivi", b.gp);
            b.document(Model.DocKind.CONSULTATION, at.plusMinutes(20), b.gp, visit, intensity);
            if (chronic && random.nextInt(100) < 45) {
                b.document(Model.DocKind.ORDONNANCE, at.plusMinutes(25), b.gp, visit, intensity);
            }
            if (chronic && random.nextInt(100) < 50) {
                labs(b, at.plusDays(3).withHour(7).withMinute(30), diseases, intensity);
            }
            if (chronic && random.nextInt(100) < Math.max(10, intensity.stayPercent())) {
                String specialist = FrenchPeople.pick(specialists, random);
                LocalDateTime when = at.plusDays(20 + random.nextInt(30)).withHour(14);
                if (when.toLocalDate().isBefore(b.today)) {
                    Model.Encounter consult = b.encounter("AMB", when, 30, "Avis spécialisé", specialist);
                    b.document(Model.DocKind.CONSULTATION, when.plusMinutes(30), specialist, consult, intensity);
                }
            }
            int stayOdds = intensity.stayPercent() > 0
                    ? intensity.stayPercent()
                    : diseases.contains(Disease.IC) || diseases.contains(Disease.FA) ? 6 : chronic ? 2 : 1;
            if (random.nextInt(100) < stayOdds) {
                hospitalStay(b, at.plusDays(10 + random.nextInt(40)), intensity);
            }
            if (random.nextInt(100) < Math.max(2, intensity.stayPercent() / 2)) {
                imaging(b, at.plusDays(5 + random.nextInt(20)), intensity);
            }
            if (day.getDayOfYear() < every && chronic) {
                b.document(Model.DocKind.SYNTHESE, at.plusMinutes(40), b.gp, visit, intensity);
            }
        }
        if (intensity.nurseNotesPerWeek() > 0) {
            nursing(b, b.today.minusYears(Math.min(intensity.nursingYears(), intensity.years())), intensity);
        }
    }

    private void vitals(Builder b, LocalDateTime at, double weight) {
        SplittableRandom random = b.random;
        b.measure(at, "29463-7", "Poids", Math.round(weight * 10) / 10.0, "kg", "kg", "vital-signs", null, null);
        b.measure(
                at,
                "8480-6",
                "Pression artérielle systolique",
                120 + random.nextInt(40),
                "mmHg",
                "mm[Hg]",
                "vital-signs",
                90.0,
                140.0);
        b.measure(
                at,
                "8462-4",
                "Pression artérielle diastolique",
                65 + random.nextInt(25),
                "mmHg",
                "mm[Hg]",
                "vital-signs",
                50.0,
                90.0);
        b.measure(
                at,
                "8867-4",
                "Fréquence cardiaque",
                58 + random.nextInt(35),
                "/min",
                "/min",
                "vital-signs",
                50.0,
                100.0);
    }

    private void labs(Builder b, LocalDateTime at, List<Disease> diseases, Intensity intensity) {
        if (!at.toLocalDate().isBefore(b.today)) {
            return;
        }
        SplittableRandom random = b.random;
        int years = (int) ChronoUnit.YEARS.between(b.today.minusYears(intensity.years()), at.toLocalDate());
        if (diseases.contains(Disease.DT2)) {
            b.measure(
                    at,
                    "4548-4",
                    "Hémoglobine glyquée (HbA1c)",
                    6.5 + random.nextInt(25) / 10.0,
                    "%",
                    "%",
                    "laboratory",
                    4.0,
                    6.0);
            b.measure(
                    at,
                    "2339-0",
                    "Glycémie à jeun",
                    1.1 + random.nextInt(80) / 100.0,
                    "g/L",
                    "g/L",
                    "laboratory",
                    0.7,
                    1.1);
        }
        if (diseases.contains(Disease.IRC) || diseases.contains(Disease.DT2) || diseases.contains(Disease.HTA)) {
            double creat = 80 + years * (diseases.contains(Disease.IRC) ? 6 : 1) + random.nextInt(20);
            b.measure(at, "14682-9", "Créatinine", creat, "µmol/L", "umol/L", "laboratory", 45.0, 104.0);
            b.measure(
                    at,
                    "62238-1",
                    "DFG estimé (CKD-EPI)",
                    Math.max(12, 95 - years * 4 - random.nextInt(10)),
                    "mL/min/1,73m²",
                    "mL/min/{1.73_m2}",
                    "laboratory",
                    60.0,
                    null);
            b.measure(
                    at,
                    "2823-3",
                    "Potassium",
                    3.6 + random.nextInt(15) / 10.0,
                    "mmol/L",
                    "mmol/L",
                    "laboratory",
                    3.5,
                    5.0);
        }
        if (diseases.contains(Disease.IC)) {
            b.measure(
                    at,
                    "33762-6",
                    "NT-proBNP",
                    400 + random.nextInt(3000),
                    "pg/mL",
                    "pg/mL",
                    "laboratory",
                    null,
                    450.0);
        }
        b.measure(
                at, "718-7", "Hémoglobine", 10.5 + random.nextInt(50) / 10.0, "g/dL", "g/dL", "laboratory", 12.0, 16.0);
        b.document(Model.DocKind.CR_BIOLOGIE, at.plusHours(8), FrenchPeople.pick(biologists, random), null, intensity);
    }

    private void hospitalStay(Builder b, LocalDateTime admission, Intensity intensity) {
        if (!admission.toLocalDate().isBefore(b.today.minusDays(10))) {
            return;
        }
        SplittableRandom random = b.random;
        String doctor = FrenchPeople.pick(hospitalDoctors, random);
        if (random.nextInt(3) == 0) {
            Model.Encounter er = b.encounter("EMER", admission, 240, "Passage aux urgences", doctor);
            b.document(Model.DocKind.URGENCES, admission.plusHours(4), doctor, er, intensity);
            return;
        }
        LocalDateTime discharge = admission.plusDays(2 + random.nextInt(10));
        Model.Encounter stay = b.encounter(
                "IMP", admission, (int) ChronoUnit.MINUTES.between(admission, discharge), "Hospitalisation", doctor);
        b.document(Model.DocKind.CR_HOSPITALISATION, discharge, doctor, stay, intensity);
        Model.Document letter =
                b.document(Model.DocKind.LETTRE_LIAISON, discharge.plusHours(1), doctor, stay, intensity);
        if (random.nextInt(10) == 0) {
            // The same letter sent twice (by the hospital and again by the patient's GP): a near-duplicate.
            b.duplicate(letter, discharge.plusDays(3));
        }
    }

    private void imaging(Builder b, LocalDateTime at, Intensity intensity) {
        if (at.toLocalDate().isBefore(b.today)) {
            b.document(Model.DocKind.CR_IMAGERIE, at, FrenchPeople.pick(radiologists, b.random), null, intensity);
        }
    }

    private void nursing(Builder b, LocalDate from, Intensity intensity) {
        String nurse = FrenchPeople.pick(nurses, b.random);
        double perDay = intensity.nurseNotesPerWeek() / 7.0;
        for (LocalDate day = from; day.isBefore(b.today); day = day.plusDays(1)) {
            int notes = (int) perDay + (b.random.nextDouble() < perDay - (int) perDay ? 1 : 0);
            for (int i = 0; i < notes; i++) {
                b.document(
                        Model.DocKind.NOTE_INFIRMIERE,
                        day.atTime(8 + i * 5, b.random.nextInt(60)),
                        nurse,
                        null,
                        intensity);
            }
        }
    }

    private void childhoodVaccinations(Builder b) {
        LocalDate birth = b.identity.birthDate();
        int[][] schedule = {{2, 0}, {4, 0}, {11, 0}, {2, 1}, {4, 1}, {11, 1}, {5, 2}, {12, 2}, {12, 3}, {16, 3}};
        String[][] vaccines = {
            {"Vaccin hexavalent DTCaP-Hib-HepB", "J07CA09"}, {"Vaccin pneumococcique conjugué", "J07AL02"},
            {"Vaccin méningococcique C", "J07AH07"}, {"Vaccin ROR", "J07BD52"}
        };
        for (int[] dose : schedule) {
            LocalDate date = birth.plusMonths(dose[0]).plusDays(b.random.nextInt(20));
            if (date.isBefore(b.today)) {
                b.immunizations.add(new Model.Immunization(date, vaccines[dose[1]][0], vaccines[dose[1]][1]));
            }
        }
    }

    private Model.Identity parent(Model.Identity child, Model.Sex sex, SplittableRandom random) {
        LocalDate birth = child.birthDate().minusYears(24 + random.nextInt(15)).minusDays(random.nextInt(365));
        Model.Identity parent = FrenchPeople.identity(sex, birth, child.insOid(), random.nextInt(1000), random);
        return new Model.Identity(
                sex == Model.Sex.MALE ? child.birthFamily() : parent.birthFamily(),
                child.usedFamily(),
                parent.birthGivens(),
                sex,
                birth,
                parent.birthplaceInsee(),
                parent.birthplaceName(),
                parent.nir(),
                parent.insOid(),
                parent.status(),
                child.address(),
                parent.phone());
    }

    private List<String> keys(Model.Profession profession) {
        return directory.professionals().values().stream()
                .filter(p -> p.profession() == profession)
                .map(Model.Professional::key)
                .toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static LocalDate latest(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static LocalDate between(LocalDate from, LocalDate to, SplittableRandom random) {
        long days = ChronoUnit.DAYS.between(from, to);
        return days <= 0 ? from : from.plusDays(random.nextLong(days));
    }

    /** Accumulates one record; documents are written as the pathway unfolds, so each sees its own past. */
    private final class Builder {

        final String key;
        final Model.Identity identity;
        final LocalDate today;
        final SplittableRandom random;
        final List<Model.Identity> parents = new ArrayList<>();
        final List<Model.Condition> conditions = new ArrayList<>();
        final List<Model.Medication> medications = new ArrayList<>();
        final List<Model.Measurement> measurements = new ArrayList<>();
        final List<Model.Allergy> allergies = new ArrayList<>();
        final List<Model.Immunization> immunizations = new ArrayList<>();
        final List<Model.Encounter> encounters = new ArrayList<>();
        final List<Model.Appointment> appointments = new ArrayList<>();
        final List<Model.Document> documents = new ArrayList<>();
        final List<Model.Reimbursement> reimbursements = new ArrayList<>();
        final String gp;

        Builder(String key, Model.Identity identity, LocalDate today, SplittableRandom random, String gp) {
            this.key = key;
            this.identity = identity;
            this.today = today;
            this.random = random;
            this.gp = gp;
        }

        void measure(
                LocalDateTime at,
                String loinc,
                String label,
                double value,
                String unit,
                String ucum,
                String category,
                @org.jspecify.annotations.Nullable Double low,
                @org.jspecify.annotations.Nullable Double high) {
            measurements.add(new Model.Measurement(at, loinc, label, value, unit, ucum, category, low, high));
        }

        Model.Encounter encounter(String kind, LocalDateTime start, int minutes, String reason, String practitioner) {
            Model.Professional professional = known(practitioner);
            Model.Encounter encounter = new Model.Encounter(
                    key + "-e" + encounters.size(),
                    kind,
                    start,
                    start.plusMinutes(minutes),
                    reason,
                    practitioner,
                    professional.organisationKey());
            encounters.add(encounter);
            Model.Profession profession = professional.profession();
            boolean gpVisit = profession == Professionals.GENERALISTE;
            reimbursements.add(new Model.Reimbursement(
                    start.toLocalDate(),
                    "IMP".equals(kind) ? "GHS" : "EMER".equals(kind) ? "ATU" : gpVisit ? "G" : "APC",
                    reason,
                    "IMP".equals(kind) ? 1850.0 : "EMER".equals(kind) ? 25.28 : gpVisit ? 30.0 : 56.5,
                    "IMP".equals(kind) ? 1480.0 : "EMER".equals(kind) ? 25.28 : gpVisit ? 20.0 : 39.55,
                    practitioner));
            return encounter;
        }

        Model.Document document(
                Model.DocKind kind,
                LocalDateTime date,
                String author,
                Model.@org.jspecify.annotations.Nullable Encounter encounter,
                Intensity intensity) {
            List<Model.Mention> signals = new ArrayList<>();
            if (random.nextDouble() < intensity.signalRate()) {
                signals.add(new Model.Mention(FrenchPeople.pick(Concepts.keys(), random), polarity()));
            }
            LocalDate day = date.toLocalDate();
            NoteContext context = new NoteContext(
                    kind,
                    date,
                    identity,
                    known(author),
                    conditions.stream().filter(c -> !c.onset().isAfter(day)).toList(),
                    medications.stream().filter(m -> !m.start().isAfter(day)).toList(),
                    recent(date),
                    signals);
            Note note = prose.write(context, random);
            String organisation = encounter != null
                    ? encounter.organisationKey()
                    : known(author).organisationKey();
            Model.Document document = new Model.Document(
                    uniqueId(), kind, date, author, organisation, note.title(), note.text(), note.mentions(), null);
            documents.add(document);
            return document;
        }

        void duplicate(Model.Document original, LocalDateTime date) {
            documents.add(new Model.Document(
                    uniqueId(),
                    original.kind(),
                    date,
                    original.authorKey(),
                    original.organisationKey(),
                    original.title(),
                    original.text(),
                    original.mentions(),
                    original.uniqueId()));
        }

        /** A professional the pathways picked: one of the directory's own. */
        private Model.Professional known(String key) {
            return java.util.Objects.requireNonNull(directory.professional(key), "a picked professional is known");
        }

        private String uniqueId() {
            return "1.2.250.1.999.1.1." + key.replaceAll("[^0-9]", "") + "." + documents.size();
        }

        private Model.Polarity polarity() {
            int draw = random.nextInt(100);
            return draw < 45
                    ? Model.Polarity.NEGATED
                    : draw < 65
                            ? Model.Polarity.AFFIRMED
                            : draw < 85 ? Model.Polarity.FAMILY : Model.Polarity.HYPOTHETICAL;
        }

        private List<Model.Measurement> recent(LocalDateTime before) {
            List<Model.Measurement> recent = new ArrayList<>();
            for (int i = measurements.size() - 1; i >= 0 && recent.size() < 12; i--) {
                if (!measurements.get(i).at().isAfter(before)) {
                    recent.add(measurements.get(i));
                }
            }
            return recent;
        }

        Model.PatientRecord build() {
            documents.sort(Comparator.comparing(Model.Document::date));
            return new Model.PatientRecord(
                    key,
                    identity,
                    gp,
                    List.copyOf(parents),
                    List.copyOf(conditions),
                    List.copyOf(medications),
                    List.copyOf(measurements),
                    List.copyOf(allergies),
                    List.copyOf(immunizations),
                    List.copyOf(encounters),
                    List.copyOf(appointments),
                    List.copyOf(documents),
                    List.copyOf(reimbursements));
        }
    }
}
