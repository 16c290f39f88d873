package org.carnet.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClinicalProseTests {

    private static final ClinicalProse PROSE = new ClinicalProse();
    private static final LocalDateTime NOW = LocalDateTime.of(2024, 3, 14, 10, 30);

    private static final Model.Profession GENERALISTE =
            new Model.Profession("10", "Médecin", "SM54", "Médecine générale");
    private static final Model.Profession CARDIOLOGUE = new Model.Profession("10", "Médecin", "SM04", "Cardiologie");
    private static final Model.Profession GERIATRE = new Model.Profession("10", "Médecin", "SM53", "Gériatrie");
    private static final Model.Profession INFIRMIER = new Model.Profession("60", "Infirmier", null, null);
    private static final Model.Profession KINE = new Model.Profession("70", "Masseur-kinésithérapeute", null, null);

    /** Chronic diseases as the pathways give them, with their treatments. */
    private record Disease(String icd10, String label, List<Model.Medication> drugs) {}

    private static final List<Disease> DISEASES = List.of(
            new Disease(
                    "I10",
                    "Hypertension artérielle essentielle",
                    List.of(drug("C09AA05", "Ramipril 5 mg", "1 comprimé le matin"))),
            new Disease(
                    "E11.9",
                    "Diabète de type 2 sans complication",
                    List.of(drug("A10BA02", "Metformine 1000 mg", "1 comprimé matin et soir au cours du repas"))),
            new Disease(
                    "I48.9",
                    "Fibrillation auriculaire, sans précision",
                    List.of(
                            drug("B01AF02", "Apixaban 5 mg", "1 comprimé matin et soir"),
                            drug("C07AB07", "Bisoprolol 2,5 mg", "1 comprimé le matin"))),
            new Disease(
                    "I50.9",
                    "Insuffisance cardiaque, sans précision",
                    List.of(drug("C03CA01", "Furosémide 40 mg", "1 comprimé le matin"))),
            new Disease(
                    "N18.3",
                    "Maladie rénale chronique, stade 3",
                    List.of(drug("C10AA05", "Atorvastatine 20 mg", "1 comprimé le soir"))),
            new Disease(
                    "J44.9",
                    "Bronchopneumopathie chronique obstructive",
                    List.of(drug("R03BB04", "Tiotropium 18 µg", "1 inhalation par jour"))),
            new Disease(
                    "F03",
                    "Troubles cognitifs (démence, sans précision)",
                    List.of(drug("N06DA02", "Donépézil 5 mg", "1 comprimé au coucher"))),
            new Disease(
                    "C50.9",
                    "Tumeur maligne du sein",
                    List.of(drug("L02BG03", "Anastrozole 1 mg", "1 comprimé par jour"))),
            new Disease("B01.9", "Warfarine au long cours", List.of(drug("B01AA03", "Warfarine 5 mg", "selon INR"))));

    // --- determinism --------------------------------------------------------------------------------------------

    @Test
    void sameSeedWritesTheSameNote() {
        SplittableRandom contexts = new SplittableRandom(7);
        for (int i = 0; i < 50; i++) {
            NoteContext context = randomContext(contexts);

            Note first = PROSE.write(context, new SplittableRandom(1000 + i));
            Note second = PROSE.write(context, new SplittableRandom(1000 + i));

            assertThat(second).isEqualTo(first);
        }
    }

    @Test
    void anotherSeedVariesThePhrasing() {
        NoteContext context = elderlyWoman(Model.DocKind.CONSULTATION, List.of());

        List<String> texts = new ArrayList<>();
        for (int seed = 0; seed < 20; seed++) {
            texts.add(PROSE.write(context, new SplittableRandom(seed)).text());
        }

        assertThat(texts.stream().distinct().count()).isGreaterThan(15);
    }

    // --- content ------------------------------------------------------------------------------------------------

    @Test
    void everyKindWritesANonEmptyNote() {
        for (Model.DocKind kind : Model.DocKind.values()) {
            Note note = PROSE.write(elderlyWoman(kind, List.of()), new SplittableRandom(3));

            assertThat(note.title()).as(kind.name()).isNotBlank();
            assertThat(note.text()).as(kind.name()).isNotBlank();
            assertThat(note.text().lines().count()).as(kind.name()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void consultationUsesTheMeasurementsAndTheClinicalSections() {
        Note note = PROSE.write(elderlyWoman(Model.DocKind.CONSULTATION, List.of()), new SplittableRandom(11));

        assertThat(note.text())
                .contains(
                        "Motif :",
                        "ATCD :",
                        "Traitement :",
                        "Conclusion :",
                        "TA 152/88 mmHg",
                        "FC 76/min",
                        "Poids : 61,4 kg (63 kg le 10/12/2023)",
                        "HbA1c 7,8 %",
                        "Apixaban 5 mg");
        assertThat(note.title()).endsWith("Dr Moreau");
    }

    @Test
    void agreesWithThePatientsSex() {
        Note woman = PROSE.write(elderlyWoman(Model.DocKind.CONSULTATION, List.of()), new SplittableRandom(5));
        Note man = PROSE.write(
                context(
                        Model.DocKind.CONSULTATION,
                        patient(Model.Sex.MALE, LocalDate.of(1950, 5, 2)),
                        doctor(GENERALISTE),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of()),
                new SplittableRandom(5));

        assertThat(woman.text()).contains("Mme DURAND Jeanne, née MARTIN le 02/04/1941 (82 ans)");
        assertThat(man.text()).contains("M. DURAND Jean, né le 02/05/1950 (73 ans)");
    }

    @Test
    void aNurseSignsAsIde() {
        Model.Identity patient = patient(Model.Sex.FEMALE, LocalDate.of(1935, 1, 1));
        NoteContext context = context(
                Model.DocKind.NOTE_INFIRMIERE,
                patient,
                professional(INFIRMIER),
                List.of(),
                List.of(),
                List.of(),
                List.of());

        Note note = PROSE.write(context, new SplittableRandom(1));

        assertThat(note.text()).contains("IDE Sophie Moreau").doesNotContain("Dr ");
    }

    // --- signals and ground truth -------------------------------------------------------------------------------

    @Test
    void everySignalAppearsInItsPolarityInEveryKind() {
        int seed = 0;
        for (String key : Concepts.keys()) {
            for (Model.Polarity polarity : Model.Polarity.values()) {
                for (Model.DocKind kind : Model.DocKind.values()) {
                    Model.Mention signal = new Model.Mention(key, polarity);

                    Note note = PROSE.write(elderlyWoman(kind, List.of(signal)), new SplittableRandom(seed++));

                    assertThat(note.mentions()).as(signal + " in " + kind).contains(signal);
                    assertThat(Concepts.mentions(note.text(), key))
                            .as(signal + " in " + kind)
                            .isTrue();
                    assertThat(Concepts.mentions(note.title(), key))
                            .as("title of " + kind)
                            .isFalse();
                }
            }
        }
    }

    @Test
    void aSignalIsBuriedInsideTheNoteNotAtItsEdges() {
        Model.Mention fall = new Model.Mention("chute", Model.Polarity.AFFIRMED);

        Note note = PROSE.write(elderlyWoman(Model.DocKind.CR_HOSPITALISATION, List.of(fall)), new SplittableRandom(2));

        List<String> lines = note.text().lines().toList();
        int at = 0;
        while (!Concepts.mentions(lines.get(at), "chute")) {
            at++;
        }
        assertThat(at).isBetween(5, lines.size() - 5);
    }

    @Test
    void everySurfaceFormInTheTextIsReported() {
        SplittableRandom contexts = new SplittableRandom(2024);
        for (int i = 0; i < 2000; i++) {
            NoteContext context = randomContext(contexts);

            Note note = PROSE.write(context, new SplittableRandom(i));

            for (String key : Concepts.keys()) {
                List<String> reported =
                        note.mentions().stream().map(Model.Mention::concept).toList();
                boolean inText = Concepts.mentions(note.text(), key) || Concepts.mentions(note.title(), key);
                assertThat(reported.contains(key))
                        .as(key + " in note " + i + ":\n" + note.text())
                        .isEqualTo(inText);
            }
        }
    }

    @Test
    void routineTextNeverContradictsASignal() {
        SplittableRandom contexts = new SplittableRandom(99);
        for (int i = 0; i < 2000; i++) {
            NoteContext context = randomContext(contexts);
            Note note = PROSE.write(context, new SplittableRandom(i));

            for (Model.Mention signal : context.signals()) {
                if (conditionsMention(context, signal.concept())) {
                    continue;
                }
                assertThat(note.mentions().stream().filter(m -> m.concept().equals(signal.concept())))
                        .as(signal + " in note " + i + ":\n" + note.text())
                        .containsOnly(signal);
            }
        }
    }

    @Test
    void routineNegationsAreReportedAsNegated() {
        SplittableRandom contexts = new SplittableRandom(5);
        boolean sawNegatedFever = false;
        for (int i = 0; i < 300; i++) {
            Note note = PROSE.write(randomContext(contexts), new SplittableRandom(i));
            if (note.text().contains("apyrétique") || note.text().contains("Pas de fièvre")) {
                sawNegatedFever = true;
                assertThat(note.mentions()).contains(new Model.Mention("fievre", Model.Polarity.NEGATED));
            }
        }
        assertThat(sawNegatedFever).isTrue();
    }

    @Test
    void chronicConditionsAreReportedAsAffirmed() {
        Note note = PROSE.write(elderlyWoman(Model.DocKind.SYNTHESE, List.of()), new SplittableRandom(4));

        assertThat(note.mentions()).contains(new Model.Mention("diabete", Model.Polarity.AFFIRMED));
    }

    // --- length -------------------------------------------------------------------------------------------------

    @Test
    void anOrdonnanceIsShorterThanAHospitalisationReport() {
        SplittableRandom contexts = new SplittableRandom(17);
        double ordonnances = 0;
        double reports = 0;
        for (int i = 0; i < 200; i++) {
            NoteContext context = randomContext(contexts);
            ordonnances += lines(PROSE.write(withKind(context, Model.DocKind.ORDONNANCE), new SplittableRandom(i)));
            reports += lines(PROSE.write(withKind(context, Model.DocKind.CR_HOSPITALISATION), new SplittableRandom(i)));
        }

        assertThat(ordonnances / 200).isLessThan(reports / 200 / 3);
    }

    @Test
    void aHospitalisationReportRunsThirtyToEightyLines() {
        SplittableRandom contexts = new SplittableRandom(23);
        for (int i = 0; i < 300; i++) {
            NoteContext context = withKind(randomContext(contexts), Model.DocKind.CR_HOSPITALISATION);

            assertThat(lines(PROSE.write(context, new SplittableRandom(i)))).isBetween(30L, 80L);
        }
    }

    // --- concepts -----------------------------------------------------------------------------------------------

    @Test
    void catalogueHasQueriesAndDisjointSurfaceForms() {
        assertThat(Concepts.keys()).hasSizeGreaterThanOrEqualTo(15).doesNotHaveDuplicates();
        for (String key : Concepts.keys()) {
            assertThat(Concepts.query(key)).isNotBlank();
            assertThat(Concepts.mentions(Concepts.query(key), key)).as(key).isTrue();
            for (String form : Concepts.surfaceForms(key)) {
                assertThat(Concepts.mentioned(form)).as(form).containsExactly(key);
            }
        }
    }

    @Test
    void mentionsIgnoresCaseAndAccents() {
        assertThat(Concepts.mentions("Patiente TOMBEE dans l'escalier", "chute"))
                .isTrue();
        assertThat(Concepts.mentions("Dyspnee d'effort", "dyspnee")).isTrue();
        assertThat(Concepts.mentions("OEDÈME AIGU DU POUMON", "insuffisance_cardiaque_decompensee"))
                .isTrue();
        assertThat(Concepts.mentions("Abdomen souple, dépressible, indolore", "depression"))
                .isFalse();
        assertThat(Concepts.mentions("Patient orienté", "confusion")).isFalse();
    }

    // --- fixtures -----------------------------------------------------------------------------------------------

    private static long lines(Note note) {
        return note.text().lines().count();
    }

    /** Whether a condition of the patient states the concept: then the note affirms it whatever the signal. */
    private static boolean conditionsMention(NoteContext context, String key) {
        return context.conditions().stream().anyMatch(c -> Concepts.mentions(c.label(), key));
    }

    /** An 82-year-old woman with HTA, DT2 and FA, seen by her GP, with this visit's and the last visit's vitals. */
    private static NoteContext elderlyWoman(Model.DocKind kind, List<Model.Mention> signals) {
        List<Model.Condition> conditions = new ArrayList<>();
        List<Model.Medication> medications = new ArrayList<>();
        for (Disease disease : List.of(DISEASES.get(0), DISEASES.get(1), DISEASES.get(2))) {
            conditions.add(new Model.Condition(disease.icd10(), disease.label(), LocalDate.of(2015, 6, 1), true));
            medications.addAll(disease.drugs());
        }
        LocalDateTime visit = NOW.minusMinutes(20);
        LocalDateTime labs = NOW.minusDays(20);
        List<Model.Measurement> recent = List.of(
                vital(visit, "29463-7", "Poids", 61.4, "kg"),
                vital(visit, "8480-6", "Pression artérielle systolique", 152, "mmHg"),
                vital(visit, "8462-4", "Pression artérielle diastolique", 88, "mmHg"),
                vital(visit, "8867-4", "Fréquence cardiaque", 76, "/min"),
                lab(labs, "4548-4", "Hémoglobine glyquée (HbA1c)", 7.8, "%", 4.0, 6.0),
                lab(labs, "14682-9", "Créatinine", 96, "µmol/L", 45.0, 104.0),
                vital(LocalDateTime.of(2023, 12, 10, 9, 0), "29463-7", "Poids", 63.0, "kg"));
        Model.Identity patient = new Model.Identity(
                "Martin",
                "Durand",
                List.of("Jeanne", "Marie"),
                Model.Sex.FEMALE,
                LocalDate.of(1941, 4, 2),
                "75114",
                "Paris",
                "241047511400112",
                "1.2.250.1.213.1.4.10",
                Model.IdentityStatus.QUAL,
                new Model.Address("3 rue Pasteur", "75014", "Paris", "75114"),
                "06 39 98 00 00");
        return context(kind, patient, doctor(GENERALISTE), conditions, medications, recent, signals);
    }

    /** A patient of any age and sex, with a random share of chronic diseases, vitals, labs and signals. */
    private static NoteContext randomContext(SplittableRandom random) {
        Model.Sex sex = random.nextBoolean() ? Model.Sex.FEMALE : Model.Sex.MALE;
        LocalDate birth = NOW.toLocalDate().minusYears(1 + random.nextInt(99)).minusDays(random.nextInt(365));
        Model.Identity patient = patient(sex, birth);
        List<Model.Condition> conditions = new ArrayList<>();
        List<Model.Medication> medications = new ArrayList<>();
        for (Disease disease : DISEASES) {
            if (random.nextInt(100) < 30) {
                conditions.add(new Model.Condition(
                        disease.icd10(),
                        disease.label(),
                        NOW.toLocalDate().minusYears(1 + random.nextInt(10)),
                        random.nextInt(10) > 0));
                medications.addAll(disease.drugs());
            }
        }
        List<Model.Measurement> recent = new ArrayList<>();
        if (random.nextInt(5) > 0) {
            LocalDateTime visit = NOW.minusDays(random.nextInt(30));
            recent.add(vital(visit, "29463-7", "Poids", 50 + random.nextInt(400) / 10.0, "kg"));
            recent.add(vital(visit, "8480-6", "Pression artérielle systolique", 110 + random.nextInt(60), "mmHg"));
            recent.add(vital(visit, "8462-4", "Pression artérielle diastolique", 60 + random.nextInt(35), "mmHg"));
            recent.add(vital(visit, "8867-4", "Fréquence cardiaque", 55 + random.nextInt(45), "/min"));
        }
        if (random.nextBoolean()) {
            LocalDateTime sampled = NOW.minusDays(30 + random.nextInt(60));
            recent.add(lab(sampled, "4548-4", "HbA1c", 6.5 + random.nextInt(25) / 10.0, "%", 4.0, 6.0));
            recent.add(lab(sampled, "14682-9", "Créatinine", 70 + random.nextInt(80), "µmol/L", 45.0, 104.0));
            recent.add(lab(sampled, "62238-1", "DFG estimé", 30 + random.nextInt(70), "mL/min/1,73m²", 60.0, null));
            recent.add(lab(sampled, "2823-3", "Potassium", 3.6 + random.nextInt(15) / 10.0, "mmol/L", 3.5, 5.0));
            recent.add(lab(sampled, "33762-6", "NT-proBNP", 100 + random.nextInt(3000), "pg/mL", null, 450.0));
            recent.add(lab(sampled, "718-7", "Hémoglobine", 10.5 + random.nextInt(50) / 10.0, "g/dL", 12.0, 16.0));
        }
        List<Model.Mention> signals = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            String key = Concepts.keys().get(random.nextInt(Concepts.keys().size()));
            if (signals.stream().noneMatch(s -> s.concept().equals(key))) {
                signals.add(new Model.Mention(key, Model.Polarity.values()[random.nextInt(4)]));
            }
        }
        List<Model.Profession> professions = List.of(GENERALISTE, CARDIOLOGUE, GERIATRE, INFIRMIER, KINE);
        Model.DocKind kind = Model.DocKind.values()[random.nextInt(Model.DocKind.values().length)];
        return context(
                kind,
                patient,
                professional(professions.get(random.nextInt(professions.size()))),
                conditions,
                medications,
                recent,
                signals);
    }

    private static NoteContext context(
            Model.DocKind kind,
            Model.Identity patient,
            Model.Professional author,
            List<Model.Condition> conditions,
            List<Model.Medication> medications,
            List<Model.Measurement> recent,
            List<Model.Mention> signals) {
        return new NoteContext(
                kind,
                NOW,
                patient,
                author,
                List.copyOf(conditions),
                List.copyOf(medications),
                List.copyOf(recent),
                List.copyOf(signals));
    }

    private static NoteContext withKind(NoteContext context, Model.DocKind kind) {
        return new NoteContext(
                kind,
                context.date(),
                context.patient(),
                context.author(),
                context.conditions(),
                context.medications(),
                context.recent(),
                context.signals());
    }

    private static Model.Identity patient(Model.Sex sex, LocalDate birthDate) {
        return new Model.Identity(
                "Durand",
                "Durand",
                List.of(sex == Model.Sex.FEMALE ? "Jeanne" : "Jean"),
                sex,
                birthDate,
                "75114",
                "Paris",
                "150057511400112",
                "1.2.250.1.213.1.4.10",
                Model.IdentityStatus.QUAL,
                new Model.Address("3 rue Pasteur", "75014", "Paris", "75114"),
                "06 39 98 00 00");
    }

    private static Model.Professional doctor(Model.Profession profession) {
        return new Model.Professional(
                "ps00001", "10000100001", "Moreau", "Claire", Model.Sex.FEMALE, profession, "org0003");
    }

    private static Model.Professional professional(Model.Profession profession) {
        return new Model.Professional(
                "ps00002", "10000100002", "Moreau", "Sophie", Model.Sex.FEMALE, profession, "org0003");
    }

    private static Model.Medication drug(String atc, String name, String dosage) {
        return new Model.Medication(atc, name, dosage, LocalDate.of(2015, 6, 1), null, "ps00001");
    }

    private static Model.Measurement vital(LocalDateTime at, String loinc, String label, double value, String unit) {
        return new Model.Measurement(at, loinc, label, value, unit, unit, "vital-signs", null, null);
    }

    private static Model.Measurement lab(
            LocalDateTime at, String loinc, String label, double value, String unit, Double low, Double high) {
        return new Model.Measurement(at, loinc, label, value, unit, unit, "laboratory", low, high);
    }
}
