package org.carnet.synthetic;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * French names, places and identities with realistic frequencies: surnames by a Zipf-like law over the most
 * common French surnames, first names by sex and birth decade, compound names, and a birth name that differs
 * from the used name for many married women. NIRs are valid (correct key) and always filed under the test or
 * demo INS OID, so a generated identity can never pass for a real one.
 */
final class FrenchPeople {

    static final String INS_TEST_OID = "1.2.250.1.213.1.4.10";
    static final String INS_DEMO_OID = "1.2.250.1.213.1.4.11";

    private static final List<String> SURNAMES = List.of(
            "Martin",
            "Bernard",
            "Thomas",
            "Petit",
            "Robert",
            "Richard",
            "Durand",
            "Dubois",
            "Moreau",
            "Laurent",
            "Simon",
            "Michel",
            "Lefebvre",
            "Leroy",
            "Roux",
            "David",
            "Bertrand",
            "Morel",
            "Fournier",
            "Girard",
            "Bonnet",
            "Dupont",
            "Lambert",
            "Fontaine",
            "Rousseau",
            "Vincent",
            "Muller",
            "Lefèvre",
            "Faure",
            "André",
            "Mercier",
            "Blanc",
            "Guérin",
            "Boyer",
            "Garnier",
            "Chevalier",
            "François",
            "Legrand",
            "Gauthier",
            "Garcia",
            "Perrin",
            "Robin",
            "Clément",
            "Morin",
            "Nicolas",
            "Henry",
            "Roussel",
            "Mathieu",
            "Gautier",
            "Masson",
            "Marchand",
            "Duval",
            "Denis",
            "Dumont",
            "Marie",
            "Lemaire",
            "Noël",
            "Meyer",
            "Dufour",
            "Meunier",
            "Brun",
            "Blanchard",
            "Giraud",
            "Joly",
            "Rivière",
            "Lucas",
            "Brunet",
            "Gaillard",
            "Barbier",
            "Arnaud",
            "Martinez",
            "Gérard",
            "Roche",
            "Renard",
            "Schmitt",
            "Roy",
            "Leroux",
            "Colin",
            "Vidal",
            "Caron",
            "Picard",
            "Roger",
            "Fabre",
            "Aubert",
            "Lemoine",
            "Renaud",
            "Dumas",
            "Lacroix",
            "Olivier",
            "Philippe",
            "Bourgeois",
            "Pierre",
            "Benoît",
            "Rey",
            "Leclerc",
            "Payet",
            "Rolland",
            "Leclercq",
            "Guillaume",
            "Lecomte",
            "Le Gall",
            "Le Bihan",
            "N'Diaye",
            "Nguyen",
            "Benali",
            "Da Silva",
            "Haddad",
            "Kowalski",
            "Ferreira",
            "Diallo");

    private static final List<List<String>> FEMALE_BY_ERA = List.of(
            List.of(
                    "Jeanne",
                    "Marie",
                    "Marguerite",
                    "Germaine",
                    "Simone",
                    "Suzanne",
                    "Yvonne",
                    "Madeleine",
                    "Odette",
                    "Louise",
                    "Paulette",
                    "Lucienne",
                    "Denise",
                    "Raymonde"),
            List.of(
                    "Monique",
                    "Nicole",
                    "Françoise",
                    "Jacqueline",
                    "Michèle",
                    "Danielle",
                    "Christiane",
                    "Colette",
                    "Martine",
                    "Annie",
                    "Marie-Claude",
                    "Marie-France"),
            List.of(
                    "Catherine",
                    "Sylvie",
                    "Isabelle",
                    "Nathalie",
                    "Christine",
                    "Véronique",
                    "Valérie",
                    "Sandrine",
                    "Patricia",
                    "Corinne",
                    "Anne-Marie"),
            List.of("Julie", "Aurélie", "Céline", "Émilie", "Stéphanie", "Caroline", "Élodie", "Audrey", "Marion"),
            List.of("Camille", "Léa", "Manon", "Emma", "Chloé", "Sarah", "Inès", "Jade", "Louise", "Alice", "Lina"));

    private static final List<List<String>> MALE_BY_ERA = List.of(
            List.of(
                    "Jean", "Pierre", "André", "Louis", "René", "Marcel", "Roger", "Robert", "Henri", "Georges",
                    "Maurice", "Lucien", "Raymond", "Fernand"),
            List.of(
                    "Michel",
                    "Alain",
                    "Bernard",
                    "Jacques",
                    "Gérard",
                    "Daniel",
                    "Claude",
                    "Jean-Pierre",
                    "Jean-Claude",
                    "Serge",
                    "Guy",
                    "Gilbert"),
            List.of(
                    "Philippe",
                    "Patrick",
                    "Christophe",
                    "Thierry",
                    "Éric",
                    "Pascal",
                    "Laurent",
                    "Frédéric",
                    "Olivier",
                    "Jean-Luc",
                    "Didier"),
            List.of("Nicolas", "Julien", "Sébastien", "Guillaume", "Mathieu", "Romain", "Jérôme", "Vincent", "Maxime"),
            List.of("Lucas", "Hugo", "Léo", "Nathan", "Louis", "Gabriel", "Jules", "Arthur", "Adam", "Raphaël", "Noé"));

    /** Communes with their INSEE code and postal code (Corsica included, for the 2A/2B key rule). */
    record Commune(String insee, String postalCode, String name) {}

    static final List<Commune> COMMUNES = List.of(
            new Commune("75114", "75014", "Paris"), new Commune("75112", "75012", "Paris"),
            new Commune("75118", "75018", "Paris"), new Commune("69123", "69003", "Lyon"),
            new Commune("13055", "13005", "Marseille"), new Commune("35238", "35000", "Rennes"),
            new Commune("59350", "59000", "Lille"), new Commune("33063", "33000", "Bordeaux"),
            new Commune("31555", "31000", "Toulouse"), new Commune("44109", "44000", "Nantes"),
            new Commune("67482", "67000", "Strasbourg"), new Commune("06088", "06000", "Nice"),
            new Commune("34172", "34000", "Montpellier"), new Commune("29019", "29200", "Brest"),
            new Commune("87085", "87000", "Limoges"), new Commune("21231", "21000", "Dijon"),
            new Commune("51454", "51100", "Reims"), new Commune("63113", "63000", "Clermont-Ferrand"),
            new Commune("37261", "37000", "Tours"), new Commune("80021", "80000", "Amiens"),
            new Commune("76540", "76000", "Rouen"), new Commune("57463", "57000", "Metz"),
            new Commune("25056", "25000", "Besançon"), new Commune("38185", "38000", "Grenoble"),
            new Commune("42218", "42000", "Saint-Étienne"), new Commune("49007", "49000", "Angers"),
            new Commune("14118", "14000", "Caen"), new Commune("54395", "54000", "Nancy"),
            new Commune("66136", "66000", "Perpignan"), new Commune("64445", "64000", "Pau"),
            new Commune("86194", "86000", "Poitiers"), new Commune("2A004", "20000", "Ajaccio"),
            new Commune("2B033", "20200", "Bastia"), new Commune("97411", "97400", "Saint-Denis"));

    private static final List<String> STREETS = List.of(
            "rue de la République",
            "avenue Jean Jaurès",
            "rue Victor Hugo",
            "place de la Mairie",
            "rue Pasteur",
            "boulevard Gambetta",
            "rue des Écoles",
            "chemin des Vignes",
            "allée des Tilleuls",
            "rue du Moulin",
            "impasse des Lilas",
            "rue Nationale",
            "avenue de la Gare",
            "rue Émile Zola",
            "quai des Bateliers");

    private FrenchPeople() {}

    static String surname(SplittableRandom random) {
        // Zipf-like: the rank is drawn with weight 1/(rank+1), so Martin is far commoner than Diallo.
        double total = 0;
        for (int i = 0; i < SURNAMES.size(); i++) {
            total += 1.0 / (i + 1);
        }
        double target = random.nextDouble() * total;
        for (int i = 0; i < SURNAMES.size(); i++) {
            target -= 1.0 / (i + 1);
            if (target <= 0) {
                return SURNAMES.get(i);
            }
        }
        return SURNAMES.get(SURNAMES.size() - 1);
    }

    static List<String> givens(Model.Sex sex, int birthYear, SplittableRandom random) {
        int era = birthYear < 1945 ? 0 : birthYear < 1960 ? 1 : birthYear < 1975 ? 2 : birthYear < 1995 ? 3 : 4;
        List<String> pool = (sex == Model.Sex.FEMALE ? FEMALE_BY_ERA : MALE_BY_ERA).get(era);
        List<String> givens = new ArrayList<>();
        givens.add(pick(pool, random));
        int extra = random.nextInt(3);
        for (int i = 0; i < extra; i++) {
            String next = pick((sex == Model.Sex.FEMALE ? FEMALE_BY_ERA : MALE_BY_ERA).get(random.nextInt(3)), random);
            if (!givens.contains(next)) {
                givens.add(next);
            }
        }
        return List.copyOf(givens);
    }

    /**
     * A new identity born on {@code birthDate}. {@code rank} makes NIRs unique within a data set: the
     * 3-digit birth-register rank and the commune are drawn, then offset by it.
     */
    static Model.Identity identity(
            Model.Sex sex, LocalDate birthDate, String insOid, int rank, SplittableRandom random) {
        String birthFamily = random.nextInt(25) == 0 ? surname(random) + "-" + surname(random) : surname(random);
        boolean married = sex == Model.Sex.FEMALE && birthDate.getYear() < 1995 && random.nextInt(100) < 45;
        String usedFamily = married ? surname(random) : birthFamily;
        Commune birthplace = pick(COMMUNES, random);
        Commune home = random.nextInt(3) == 0 ? birthplace : pick(COMMUNES, random);
        String body = (sex == Model.Sex.MALE ? "1" : "2")
                + String.format("%02d", birthDate.getYear() % 100)
                + String.format("%02d", birthDate.getMonthValue())
                + birthplace.insee()
                + String.format("%03d", 1 + Math.floorMod(rank * 7919 + random.nextInt(1000), 999));
        int statusDraw = random.nextInt(100);
        Model.IdentityStatus status = statusDraw < 70
                ? Model.IdentityStatus.QUAL
                : statusDraw < 85
                        ? Model.IdentityStatus.RECUP
                        : statusDraw < 93 ? Model.IdentityStatus.VALI : Model.IdentityStatus.PROV;
        return new Model.Identity(
                birthFamily,
                usedFamily,
                givens(sex, birthDate.getYear(), random),
                sex,
                birthDate,
                birthplace.insee(),
                birthplace.name(),
                Nir.withKey(body),
                insOid,
                status,
                new Model.Address(
                        (1 + random.nextInt(120)) + " " + pick(STREETS, random),
                        home.postalCode(),
                        home.name(),
                        home.insee()),
                "06 39 98 " + String.format("%02d %02d", random.nextInt(100), random.nextInt(100)));
    }

    static <T> T pick(List<T> values, SplittableRandom random) {
        return values.get(random.nextInt(values.size()));
    }
}
