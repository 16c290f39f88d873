package org.carnet.synthetic;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The heavy profile's record: one woman followed for sixteen years from her mid-seventies, told as one consistent
 * story. Every event is dated once in a {@link Timeline} (her diabetes found, her stroke, the atrial fibrillation
 * and the anticoagulants that follow it, her falls, her stays in hospital, the months her weight falls); the
 * measurements follow it, and every note written afterwards refers back to the same dates. Some signals exist
 * only as numbers (weight, eGFR, haemoglobin) or as a drug's name, never in words.
 */
final class Chronicle {

    /**
     * The dated events of the story; each happens once.
     *
     * @param insulin basal insulin started: home nursing twice a day from then
     * @param weightLossFrom the weight falls from here to today, and no note says so
     * @param anaemiaFrom the haemoglobin falls from here to today, and no note says so
     */
    record Timeline(
            LocalDate start,
            LocalDate today,
            int htaYear,
            LocalDate diabetes,
            LocalDate stroke,
            LocalDate af,
            LocalDate warfarin,
            LocalDate bleed,
            LocalDate apixaban,
            LocalDate insulin,
            LocalDate heartFailure,
            LocalDate nephrologist,
            List<LocalDate> falls,
            LocalDate pneumonia,
            LocalDate dementia,
            LocalDate hypoglycemia,
            LocalDate weightLossFrom,
            LocalDate anaemiaFrom) {

        /** The anticoagulant she takes on {@code day}, by its international name, or null before the first. */
        @org.jspecify.annotations.Nullable
        String anticoagulant(LocalDate day) {
            return day.isBefore(af)
                    ? null
                    : day.isBefore(warfarin) ? "fluindione" : day.isBefore(apixaban) ? "warfarine" : "apixaban";
        }

        boolean onVitaminKAntagonist(LocalDate day) {
            return !day.isBefore(af) && day.isBefore(apixaban);
        }

        /** Falls before {@code day}, oldest first. */
        List<LocalDate> fallsBefore(LocalDate day) {
            return falls.stream().filter(d -> d.isBefore(day)).toList();
        }

        static Timeline draw(LocalDate today, SplittableRandom random) {
            LocalDate start = today.minusYears(16);
            LocalDate diabetes = start.plusDays(420 + random.nextInt(300));
            LocalDate stroke = start.plusDays(1250 + random.nextInt(300));
            LocalDate af = stroke.plusDays(25 + random.nextInt(20));
            // Fluindione was no longer to be started from December 2018: the switch to warfarin follows it.
            LocalDate warfarin = af.plusDays(1500 + random.nextInt(150));
            LocalDate bleed = warfarin.plusDays(400 + random.nextInt(200));
            LocalDate apixaban = bleed.plusDays(6 + random.nextInt(8));
            LocalDate insulin = start.plusDays(2400 + random.nextInt(200));
            LocalDate heartFailure = start.plusDays(2850 + random.nextInt(100));
            LocalDate nephrologist = start.plusDays(3500 + random.nextInt(150));
            List<LocalDate> falls = new ArrayList<>();
            LocalDate fall = start.plusDays(3150 + random.nextInt(100));
            for (int i = 0; i < 5; i++) {
                falls.add(fall);
                fall = fall.plusDays(250 + random.nextInt(300));
            }
            LocalDate pneumonia = falls.get(2).plusDays(60 + random.nextInt(60));
            LocalDate dementia = start.plusDays(4600 + random.nextInt(200));
            LocalDate hypoglycemia = today.minusDays(500 + random.nextInt(200));
            return new Timeline(
                    start,
                    today,
                    1996 + random.nextInt(6),
                    diabetes,
                    stroke,
                    af,
                    warfarin,
                    bleed,
                    apixaban,
                    insulin,
                    heartFailure,
                    nephrologist,
                    List.copyOf(falls),
                    pneumonia,
                    dementia,
                    hypoglycemia,
                    today.minusDays(300 + random.nextInt(40)),
                    today.minusDays(640 + random.nextInt(60)));
        }
    }

    /** A stay in hospital, or a visit to the urgences (no discharge day then). */
    record Stay(String reason, LocalDate admission, LocalDate discharge, String service, String why, String found) {}

    /** Who writes in the record. */
    record Cast(
            String gp,
            String successor,
            List<String> locums,
            List<String> homeNurses,
            List<String> wardNurses,
            String cardiologist,
            String nephrologist,
            String geriatrician,
            String endocrinologist,
            List<String> emergency,
            String radiologist,
            String biologist,
            String pharmacist,
            String physiotherapist,
            String dietitian) {}

    private final Directory directory;

    Chronicle(Directory directory) {
        this.directory = directory;
    }

    Model.PatientRecord record(String key, Model.Identity identity, LocalDate today, SplittableRandom random) {
        Timeline t = Timeline.draw(today, random);
        Cast cast = cast(random);
        Story s = new Story(key, identity, t, cast, random);
        s.conditionsAndTreatments();
        s.stays();
        new ChronicleNotes(s).writeAll();
        return s.build();
    }

    private Cast cast(SplittableRandom random) {
        List<String> gps = keys(Professionals.GENERALISTE);
        List<String> nurses = keys(Professionals.INFIRMIER);
        List<String> urgent = keys(Professionals.URGENTISTE);
        return new Cast(
                gps.get(0),
                gps.get(1),
                List.of(gps.get(2), gps.get(3), gps.get(4)),
                nurses.subList(0, 4),
                nurses.subList(4, nurses.size()),
                keys(Professionals.CARDIOLOGUE).get(0),
                keys(Professionals.NEPHROLOGUE).get(0),
                keys(Professionals.GERIATRE).get(0),
                keys(Professionals.ENDOCRINOLOGUE).get(0),
                urgent,
                keys(Professionals.RADIOLOGUE).get(0),
                keys(Professionals.BIOLOGISTE).get(0),
                keys(Professionals.PHARMACIEN).get(random.nextInt(2)),
                keys(Professionals.KINE).get(0),
                keys(Professionals.DIETETICIEN).get(0));
    }

    private List<String> keys(Model.Profession profession) {
        List<String> keys = directory.professionals().values().stream()
                .filter(p -> p.profession() == profession)
                .map(Model.Professional::key)
                .toList();
        if (keys.isEmpty()) {
            throw new IllegalStateException("The heavy record needs a " + profession.label() + " in the directory");
        }
        return keys;
    }

    /** The record as it is built: conditions, treatments, measurements, stays, then the notes. */
    final class Story {

        final String key;
        final Model.Identity identity;
        final Timeline t;
        final Cast cast;
        final SplittableRandom random;
        final List<Model.Condition> conditions = new ArrayList<>();
        final List<Model.Medication> medications = new ArrayList<>();
        final List<Model.Measurement> measurements = new ArrayList<>();
        final List<Model.Encounter> encounters = new ArrayList<>();
        final List<Model.Document> documents = new ArrayList<>();
        final List<Model.Reimbursement> reimbursements = new ArrayList<>();
        final List<Model.Immunization> immunizations = new ArrayList<>();
        final List<Stay> stays = new ArrayList<>();
        private final double baseWeight;

        Story(String key, Model.Identity identity, Timeline t, Cast cast, SplittableRandom random) {
            this.key = key;
            this.identity = identity;
            this.t = t;
            this.cast = cast;
            this.random = random;
            this.baseWeight = 66 + random.nextInt(5);
        }

        Directory directory() {
            return directory;
        }

        Model.Professional professional(String key) {
            return java.util.Objects.requireNonNull(directory.professional(key), "a cast member is in the directory");
        }

        void conditionsAndTreatments() {
            conditions.add(new Model.Condition(
                    "I10", "Hypertension artérielle essentielle", LocalDate.of(t.htaYear(), 3, 1), true));
            conditions.add(new Model.Condition("E11.9", "Diabète de type 2", t.diabetes(), true));
            conditions.add(new Model.Condition("I63.9", "Infarctus cérébral", t.stroke(), true));
            conditions.add(new Model.Condition("I48.9", "Fibrillation auriculaire", t.af(), true));
            conditions.add(new Model.Condition("I50.9", "Insuffisance cardiaque", t.heartFailure(), true));
            conditions.add(new Model.Condition("N18.3", "Maladie rénale chronique, stade 3", t.nephrologist(), true));
            conditions.add(new Model.Condition(
                    "S52.5",
                    "Fracture de l'extrémité inférieure du radius",
                    t.falls().get(1),
                    false));
            conditions.add(new Model.Condition("F01.3", "Démence vasculaire mixte", t.dementia(), true));
            LocalDate start = t.start();
            drug("C09AA05", "Ramipril 5 mg", "1 cp le matin", start.minusYears(6), null, cast.gp());
            drug("C08CA01", "Amlodipine 5 mg", "1 cp le soir", start.minusYears(3), null, cast.gp());
            drug(
                    "A10BA02",
                    "Metformine 500 mg",
                    "1 cp matin et soir",
                    t.diabetes().plusDays(1),
                    t.nephrologist(),
                    cast.gp());
            drug(
                    "N02BA01",
                    "Acide acétylsalicylique 75 mg",
                    "1 sachet le midi",
                    t.stroke().plusDays(2),
                    t.af(),
                    cast.geriatrician());
            drug("C10AA05", "Atorvastatine 40 mg", "1 cp le soir", t.stroke().plusDays(2), null, cast.geriatrician());
            drug("B01AA12", "Fluindione 20 mg", "3/4 cp le soir selon INR", t.af(), t.warfarin(), cast.cardiologist());
            drug("C07AB07", "Bisoprolol 2,5 mg", "1 cp le matin", t.af(), null, cast.cardiologist());
            drug("B01AA03", "Warfarine 2 mg", "1 cp le soir selon INR", t.warfarin(), t.apixaban(), cast.gp());
            drug("B01AF02", "Apixaban 2,5 mg", "1 cp matin et soir", t.apixaban(), null, cast.cardiologist());
            drug(
                    "A10AE04",
                    "Insuline glargine 100 UI/mL",
                    "12 UI le matin, adaptée aux glycémies",
                    t.insulin(),
                    null,
                    cast.endocrinologist());
            drug(
                    "C03CA01",
                    "Furosémide 40 mg",
                    "1 cp le matin",
                    t.heartFailure().plusDays(8),
                    null,
                    cast.cardiologist());
            drug(
                    "N02BE01",
                    "Paracétamol 1 g",
                    "1 cp jusqu'à 3 fois par jour si douleur",
                    t.falls().get(1),
                    null,
                    cast.gp());
            drug("A06AD15", "Macrogol 4000", "1 sachet le matin", t.pneumonia(), null, cast.successor());
            for (int year = t.start().getYear(); year <= t.today().getYear(); year++) {
                LocalDate date = LocalDate.of(year, 10, 12 + random.nextInt(20));
                if (date.isBefore(t.today())) {
                    immunizations.add(new Model.Immunization(date, "Vaccin grippal saisonnier", "J07BB02"));
                }
            }
        }

        private void drug(
                String atc,
                String name,
                String dosage,
                LocalDate from,
                @org.jspecify.annotations.Nullable LocalDate to,
                String prescriber) {
            medications.add(new Model.Medication(atc, name, dosage, from, to, prescriber));
        }

        /** The treatments taken on {@code day}. */
        List<Model.Medication> medicationsOn(LocalDate day) {
            return medications.stream()
                    .filter(m -> !m.start().isAfter(day)
                            && (m.end() == null || m.end().isAfter(day)))
                    .toList();
        }

        List<Model.Condition> conditionsOn(LocalDate day) {
            return conditions.stream().filter(c -> !c.onset().isAfter(day)).toList();
        }

        /** Her weight on a day: stable (her clothes, her seasons), then falling steadily for the last months. */
        double weight(LocalDate day, double noise) {
            double w = baseWeight + 1.2 * Math.sin(day.getDayOfYear() / 58.0) + noise;
            if (day.isAfter(t.weightLossFrom())) {
                w -= ChronoUnit.DAYS.between(t.weightLossFrom(), day) * 0.028;
            }
            return Math.round(w * 10) / 10.0;
        }

        double egfr(LocalDate day) {
            double years = ChronoUnit.DAYS.between(t.start(), day) / 365.25;
            double value = years < 9.5 ? 68 - 1.6 * years : 68 - 15.2 - 3.6 * (years - 9.5);
            return Math.round(value + random.nextGaussian() * 2);
        }

        double haemoglobin(LocalDate day) {
            double value = 13.1 + random.nextGaussian() * 0.3;
            if (day.isAfter(t.anaemiaFrom())) {
                value -= ChronoUnit.DAYS.between(t.anaemiaFrom(), day) * 0.0055;
            }
            return Math.round(value * 10) / 10.0;
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

        void stays() {
            stays.add(new Stay(
                    "déficit brachio-facial droit d'installation brutale",
                    t.stroke(),
                    t.stroke().plusDays(9),
                    "médecine gériatrique aiguë",
                    "AVC",
                    "infarctus cérébral sylvien gauche"));
            stays.add(new Stay(
                    "dyspnée de décubitus et œdèmes des membres inférieurs",
                    t.heartFailure(),
                    t.heartFailure().plusDays(8),
                    "cardiologie",
                    "OAP",
                    "insuffisance cardiaque décompensée à FEVG préservée"));
            stays.add(new Stay(
                    "épistaxis abondante",
                    t.bleed(),
                    t.bleed(),
                    "urgences",
                    "saignement",
                    "épistaxis sous warfarine avec INR à 5,8"));
            stays.add(new Stay(
                    "chute avec douleur du poignet gauche",
                    t.falls().get(1),
                    t.falls().get(1),
                    "urgences",
                    "chute",
                    "fracture de Pouteau-Colles gauche non déplacée"));
            stays.add(new Stay(
                    "fièvre et toux grasse",
                    t.pneumonia(),
                    t.pneumonia().plusDays(11),
                    "médecine gériatrique aiguë",
                    "pneumopathie",
                    "pneumopathie franche lobaire inférieure droite"));
            stays.add(new Stay(
                    "chute avec station au sol prolongée",
                    t.falls().get(3),
                    t.falls().get(3).plusDays(7),
                    "médecine gériatrique aiguë",
                    "chute",
                    "chute mécanique sans fracture, station au sol de plusieurs heures"));
        }

        /** The stay covering {@code day}, if she is in hospital that day (the urgences do not count). */
        @org.jspecify.annotations.Nullable
        Stay inHospital(LocalDate day) {
            for (Stay stay : stays) {
                if (stay.discharge().isAfter(stay.admission())
                        && !day.isBefore(stay.admission())
                        && !day.isAfter(stay.discharge())) {
                    return stay;
                }
            }
            return null;
        }

        Model.Encounter encounter(
                String kind, LocalDateTime start, LocalDateTime end, String reason, String practitioner) {
            Model.Professional professional = professional(practitioner);
            Model.Encounter encounter = new Model.Encounter(
                    key + "-e" + encounters.size(),
                    kind,
                    start,
                    end,
                    reason,
                    practitioner,
                    professional.organisationKey());
            encounters.add(encounter);
            boolean gp = professional.profession() == Professionals.GENERALISTE;
            reimbursements.add(new Model.Reimbursement(
                    start.toLocalDate(),
                    "IMP".equals(kind) ? "GHS" : "EMER".equals(kind) ? "ATU" : gp ? "G" : "APC",
                    reason,
                    "IMP".equals(kind) ? 1850.0 : "EMER".equals(kind) ? 25.28 : gp ? 30.0 : 56.5,
                    "IMP".equals(kind) ? 1480.0 : "EMER".equals(kind) ? 25.28 : gp ? 20.0 : 39.55,
                    practitioner));
            return encounter;
        }

        Model.Document add(Model.DocKind kind, LocalDateTime date, String author, String organisation, Note note) {
            Model.Document document = new Model.Document(
                    "1.2.250.1.999.1.1." + key.replaceAll("[^0-9]", "") + "." + documents.size(),
                    kind,
                    date,
                    author,
                    organisation,
                    note.title(),
                    note.text(),
                    note.mentions(),
                    null);
            documents.add(document);
            return document;
        }

        void duplicate(Model.Document original, LocalDateTime date) {
            documents.add(new Model.Document(
                    "1.2.250.1.999.1.1." + key.replaceAll("[^0-9]", "") + "." + documents.size(),
                    original.kind(),
                    date,
                    original.authorKey(),
                    original.organisationKey(),
                    original.title(),
                    original.text(),
                    original.mentions(),
                    original.uniqueId()));
        }

        Model.PatientRecord build() {
            documents.sort(Comparator.comparing(Model.Document::date));
            measurements.sort(Comparator.comparing(Model.Measurement::at));
            List<Model.Appointment> appointments = List.of(new Model.Appointment(
                    t.today().plusDays(12).atTime(10, 30), 20, "Consultation de suivi", cast.successor()));
            return new Model.PatientRecord(
                    key,
                    identity,
                    cast.successor(),
                    List.of(),
                    List.copyOf(conditions),
                    List.copyOf(medications),
                    List.copyOf(measurements),
                    List.of(new Model.Allergy("Pénicilline", "764146007", "Urticaire généralisée")),
                    List.copyOf(immunizations),
                    List.copyOf(encounters),
                    appointments,
                    List.copyOf(documents),
                    List.copyOf(reimbursements));
        }
    }
}
