package org.carnet.synthetic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The professionals and organisations of a data set: practitioners with valid-shaped RPPS numbers (11 digits,
 * Luhn check digit) in the professions of the RPPS nomenclature, and hospitals, laboratories, pharmacies and
 * practices with FINESS-shaped numbers (9 digits, Luhn check digit).
 */
final class Professionals {

    static final Model.Profession GENERALISTE = new Model.Profession("10", "Médecin", "SM54", "Médecine générale");
    static final Model.Profession CARDIOLOGUE = new Model.Profession("10", "Médecin", "SM04", "Cardiologie");
    static final Model.Profession ENDOCRINOLOGUE = new Model.Profession("10", "Médecin", "SM15", "Endocrinologie");
    static final Model.Profession NEPHROLOGUE = new Model.Profession("10", "Médecin", "SM24", "Néphrologie");
    static final Model.Profession PNEUMOLOGUE = new Model.Profession("10", "Médecin", "SM40", "Pneumologie");
    static final Model.Profession GERIATRE = new Model.Profession("10", "Médecin", "SM53", "Gériatrie");
    static final Model.Profession URGENTISTE = new Model.Profession("10", "Médecin", "SM54", "Médecine d'urgence");
    static final Model.Profession RADIOLOGUE = new Model.Profession("10", "Médecin", "SM44", "Radiodiagnostic");
    static final Model.Profession BIOLOGISTE = new Model.Profession("10", "Médecin", "SM03", "Biologie médicale");
    static final Model.Profession ONCOLOGUE = new Model.Profession("10", "Médecin", "SM30", "Oncologie médicale");
    static final Model.Profession CHIRURGIEN = new Model.Profession("10", "Médecin", "SM52", "Chirurgie générale");
    static final Model.Profession GYNECOLOGUE =
            new Model.Profession("10", "Médecin", "SM20", "Gynécologie-obstétrique");
    static final Model.Profession PEDIATRE = new Model.Profession("10", "Médecin", "SM32", "Pédiatrie");
    static final Model.Profession INFIRMIER = new Model.Profession("60", "Infirmier", null, null);
    static final Model.Profession PHARMACIEN = new Model.Profession("21", "Pharmacien", null, null);
    static final Model.Profession DENTISTE = new Model.Profession("40", "Chirurgien-dentiste", null, null);
    static final Model.Profession SAGE_FEMME = new Model.Profession("50", "Sage-femme", null, null);
    static final Model.Profession KINE = new Model.Profession("70", "Masseur-kinésithérapeute", null, null);
    static final Model.Profession DIETETICIEN = new Model.Profession("95", "Diététicien", null, null);

    /** How many of each profession a data set has, per 100 professionals. */
    private static final List<Object[]> MIX = List.of(
            new Object[] {GENERALISTE, 30},
            new Object[] {CARDIOLOGUE, 5},
            new Object[] {ENDOCRINOLOGUE, 3},
            new Object[] {NEPHROLOGUE, 2},
            new Object[] {PNEUMOLOGUE, 3},
            new Object[] {GERIATRE, 3},
            new Object[] {URGENTISTE, 5},
            new Object[] {RADIOLOGUE, 3},
            new Object[] {BIOLOGISTE, 3},
            new Object[] {ONCOLOGUE, 2},
            new Object[] {CHIRURGIEN, 3},
            new Object[] {GYNECOLOGUE, 3},
            new Object[] {PEDIATRE, 3},
            new Object[] {INFIRMIER, 14},
            new Object[] {PHARMACIEN, 8},
            new Object[] {DENTISTE, 4},
            new Object[] {SAGE_FEMME, 3},
            new Object[] {KINE, 3});

    private static final List<String> HOSPITAL_NAMES = List.of(
            "Centre hospitalier Émile-Vernier",
            "Hôpital Sainte-Anne-des-Prés",
            "Clinique du Parc",
            "CHU des Tilleuls",
            "Centre hospitalier de la Vallée",
            "Clinique Saint-Roch",
            "Hôpital Henri-Dunant",
            "Polyclinique de l'Europe");

    private Professionals() {}

    /** A directory of {@code size} professionals (at least 30) working in {@code size / 5} organisations. */
    static Directory directory(int size, SplittableRandom random) {
        int count = Math.max(30, size);
        Map<String, Model.Organisation> organisations = new LinkedHashMap<>();
        int orgCount = Math.max(8, count / 5);
        for (int i = 0; i < orgCount; i++) {
            String kind = switch (i % 4) {
                case 0 -> "hospital";
                case 1 -> "lab";
                case 2 -> "pharmacy";
                default -> "practice";
            };
            FrenchPeople.Commune commune = FrenchPeople.pick(FrenchPeople.COMMUNES, random);
            String name = switch (kind) {
                case "hospital" ->
                    HOSPITAL_NAMES.get((i / 4) % HOSPITAL_NAMES.size())
                            + (i / 4 >= HOSPITAL_NAMES.size() ? " " + (i / 4) : "");
                case "lab" -> "Laboratoire de biologie médicale " + commune.name() + " " + (i / 4 + 1);
                case "pharmacy" -> "Pharmacie " + FrenchPeople.surname(random);
                default -> "Maison de santé " + commune.name() + " " + (i / 4 + 1);
            };
            String key = "org" + String.format("%04d", i);
            organisations.put(
                    key,
                    new Model.Organisation(
                            key,
                            withLuhn(commune.insee()
                                            .replace("2A", "20")
                                            .replace("2B", "20")
                                            .substring(0, 2)
                                    + String.format("%06d", 100_000 + i)),
                            name,
                            kind,
                            new Model.Address(
                                    (1 + random.nextInt(200)) + " avenue de la Santé",
                                    commune.postalCode(),
                                    commune.name(),
                                    commune.insee())));
        }
        List<String> orgKeys = List.copyOf(organisations.keySet());
        Map<String, Model.Professional> professionals = new LinkedHashMap<>();
        int index = 0;
        for (Object[] share : MIX) {
            Model.Profession profession = (Model.Profession) share[0];
            int n = Math.max(1, count * (Integer) share[1] / 100);
            for (int i = 0; i < n; i++) {
                Model.Sex sex = random.nextBoolean() ? Model.Sex.FEMALE : Model.Sex.MALE;
                String key = "ps" + String.format("%05d", index);
                String org = orgKeys.get(organisationFor(profession, index, orgKeys.size()));
                professionals.put(
                        key,
                        new Model.Professional(
                                key,
                                withLuhn("100" + String.format("%07d", 10_000 + index)),
                                FrenchPeople.surname(random),
                                FrenchPeople.givens(sex, 1955 + random.nextInt(40), random)
                                        .get(0),
                                sex,
                                profession,
                                org));
                index++;
            }
        }
        return new Directory(professionals, organisations);
    }

    /**
     * The directory with a dietitian added (the mix has none: few records need one), working in the first practice.
     * Appended, so the other professionals are those of {@link #directory(int, SplittableRandom)} for the same seed.
     */
    static Directory withDietitian(Directory directory, SplittableRandom random) {
        Map<String, Model.Professional> professionals = new LinkedHashMap<>(directory.professionals());
        String key = "ps" + String.format("%05d", professionals.size());
        String org = directory.organisations().values().stream()
                .filter(o -> "practice".equals(o.kind()))
                .findFirst()
                .orElseThrow()
                .key();
        professionals.put(
                key,
                new Model.Professional(
                        key,
                        withLuhn("100" + String.format("%07d", 10_000 + professionals.size())),
                        FrenchPeople.surname(random),
                        FrenchPeople.givens(Model.Sex.FEMALE, 1985, random).get(0),
                        Model.Sex.FEMALE,
                        DIETETICIEN,
                        org));
        return new Directory(professionals, directory.organisations());
    }

    /** Pharmacists work in pharmacies, biologists in labs, GPs in practices, others in hospitals. */
    private static int organisationFor(Model.Profession profession, int index, int orgCount) {
        int kind = profession == PHARMACIEN
                ? 2
                : profession == BIOLOGISTE
                        ? 1
                        : profession == GENERALISTE
                                        || profession == INFIRMIER
                                        || profession == KINE
                                        || profession == DENTISTE
                                ? 3
                                : 0;
        int slots = Math.max(1, orgCount / 4);
        return Math.min(orgCount - 1, (index % slots) * 4 + kind);
    }

    /** Appends the Luhn check digit. */
    static String withLuhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return digits + ((10 - sum % 10) % 10);
    }
}
