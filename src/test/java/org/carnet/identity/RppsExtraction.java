package org.carnet.identity;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Writes RPPS "personne-activité" extraction files in the real layout (a header of 52 named fields, each line 52
 * values separated by '|' and ended by a trailing '|', so 53 pieces when split, the last empty), with professionals holding one or two activities, and optionally malformed lines.
 */
final class RppsExtraction {

    static final String HEADER =
            "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Code civilité d'exercice|"
                    + "Libellé civilité d'exercice|Code civilité|Libellé civilité|Nom d'exercice|Prénom d'exercice|Code profession|"
                    + "Libellé profession|Code catégorie professionnelle|Libellé catégorie professionnelle|Code type savoir-faire|"
                    + "Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|Code mode exercice|Libellé mode exercice|"
                    + "Numéro SIRET site|Numéro SIREN site|Numéro FINESS site|Numéro FINESS établissement juridique|"
                    + "Identifiant technique de la structure|Raison sociale site|Enseigne commerciale site|"
                    + "Complément destinataire (coord. structure)|Complément point géographique (coord. structure)|"
                    + "Numéro Voie (coord. structure)|Indice répétition voie (coord. structure)|Code type de voie (coord. structure)|"
                    + "Libellé type de voie (coord. structure)|Libellé Voie (coord. structure)|Mention distribution (coord. structure)|"
                    + "Bureau cedex (coord. structure)|Code postal (coord. structure)|Code commune (coord. structure)|"
                    + "Libellé commune (coord. structure)|Code pays (coord. structure)|Libellé pays (coord. structure)|"
                    + "Téléphone (coord. structure)|Téléphone 2 (coord. structure)|Télécopie (coord. structure)|"
                    + "Adresse e-mail (coord. structure)|Code Département (structure)|Libellé Département (structure)|"
                    + "Ancien identifiant de la structure|Autorité d'enregistrement|Code secteur d'activité|"
                    + "Libellé secteur d'activité|Code section tableau pharmaciens|Libellé section tableau pharmaciens|";

    /** The named fields of the layout (../shared/data/rpps-extraction-layout.txt). */
    static final int FIELDS = 52;

    private static final String[] FAMILIES = {"Moreau", "Lambert", "Bernard", "Fontaine", "Mercier", "Girard", "Nguyen"
    };
    private static final String[] GIVENS = {"Philippe", "Nathalie", "Sophie", "Antoine", "Claire", "Karim", "Léa"};
    private static final String[][] PROFESSIONS = {
        {"10", "Médecin", "S", "SM54", "Médecine générale"},
        {"10", "Médecin", "S", "SM04", "Cardiologie"},
        {"60", "Infirmier", "", "", ""},
        {"21", "Pharmacien", "", "", ""},
        {"40", "Chirurgien-dentiste", "", "", ""}
    };
    private static final String[][] CITIES = {
        {"75014", "75114", "Paris"},
        {"35000", "35238", "Rennes"},
        {"69003", "69123", "Lyon"},
        {"20000", "2A004", "Ajaccio"}
    };

    private RppsExtraction() {}

    /** One line per activity of {@code professionals} professionals; returns the number of activity lines. */
    static int write(Path file, int professionals, List<String> malformed) throws IOException {
        int lines = 0;
        int bad = 0;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER + "\n");
            for (int p = 0; p < professionals; p++) {
                int activities = p % 3 == 0 ? 2 : 1;
                for (int a = 0; a < activities; a++) {
                    out.write(line(p, a) + "\n");
                    lines++;
                }
                if (p % 40 == 7 && !malformed.isEmpty()) {
                    out.write(malformed.get(bad++ % malformed.size()) + "\n");
                }
            }
        }
        return lines;
    }

    static String line(int p, int activity) {
        String rpps = String.format("100%08d", p);
        String[] profession = PROFESSIONS[p % PROFESSIONS.length];
        String[] city = CITIES[(p + activity) % CITIES.length];
        boolean female = p % 2 == 1;
        List<String> f = new ArrayList<>(Collections.nCopies(FIELDS, ""));
        f.set(0, "8");
        f.set(1, rpps);
        f.set(2, "8" + rpps);
        f.set(3, profession[0].equals("10") ? "DR" : "");
        f.set(4, profession[0].equals("10") ? "Docteur" : "");
        f.set(5, female ? "MME" : "M");
        f.set(6, female ? "Madame" : "Monsieur");
        f.set(7, FAMILIES[p % FAMILIES.length].toUpperCase(java.util.Locale.ROOT) + (p / FAMILIES.length));
        f.set(8, GIVENS[p % GIVENS.length]);
        f.set(9, profession[0]);
        f.set(10, profession[1]);
        f.set(11, "C");
        f.set(12, "Civil");
        f.set(13, profession[2]);
        f.set(15, profession[3]);
        f.set(16, profession[4]);
        f.set(17, activity == 0 ? "L" : "S");
        f.set(18, activity == 0 ? "Libéral" : "Salarié");
        String structure = activity == 0 ? "R1010000" + String.format("%07d", p) : "C7591241590" + (p % 10);
        f.set(19, activity == 0 ? String.format("%014d", 40_000_000_000_000L + p) : "");
        f.set(21, activity == 0 ? "" : "75099931" + (p % 10));
        f.set(23, structure);
        f.set(24, activity == 0 ? "CABINET DU DR " + f.get(7) : "HOPITAL EMILE VERNIER");
        f.set(28, Integer.toString(1 + p % 90));
        f.set(31, "rue");
        f.set(32, "de la République");
        f.set(35, city[0]);
        f.set(36, city[1]);
        f.set(37, city[2]);
        f.set(38, "99000");
        f.set(39, "France");
        f.set(40, "01 99 00 " + String.format("%02d %02d", p % 100, activity));
        f.set(47, "CNOM/CNOM/CNOM");
        f.set(48, activity == 0 ? "SA07" : "SA01");
        f.set(49, activity == 0 ? "Cabinet individuel" : "Etablissement public de santé");
        return String.join("|", f) + "|";
    }
}
