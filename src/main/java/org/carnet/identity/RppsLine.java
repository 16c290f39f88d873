package org.carnet.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One line of the public RPPS "personne-activité" extraction: a professional and one of their activities.
 * Layout: 52 named fields separated by {@code |}, every line (the header included) ending with a trailing
 * {@code |}, so that splitting a line on {@code |} gives 53 pieces, the last one empty. The trailing {@code |}
 * ends the last field; a line without it is read the same. Parsing checks the identifiers and says which field is
 * wrong.
 *
 * @param carriesPerson whether the line's person (name, civility) is to be written: false for a line that disagrees
 *     with the professional's earlier line, whose person is kept
 */
record RppsLine(
        String idType,
        String id,
        String idNat,
        String practiceTitle,
        String civility,
        String family,
        String given,
        String professionCode,
        String professionLabel,
        String skillType,
        String skillCode,
        String skillLabel,
        String practiceMode,
        String siret,
        String finessSite,
        String structureId,
        String structureName,
        String streetNumber,
        String streetType,
        String streetName,
        String postalCode,
        String cityCode,
        String city,
        String phone,
        String email,
        boolean carriesPerson) {

    static final int FIELDS = 52;

    private static final Pattern RPPS = Pattern.compile("\\d{11}");
    private static final Pattern ADELI = Pattern.compile("\\d{9}");

    /** A line that cannot be imported, and why. */
    static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    static boolean isHeader(String line) {
        return line.startsWith("Type d'identifiant PP|");
    }

    /** The number of fields a line (or the header) holds, read as {@link #parse} reads them. */
    static int fieldCount(String line) {
        return split(line).size();
    }

    static RppsLine parse(String line) throws Malformed {
        List<String> f = split(line);
        if (f.size() != FIELDS) {
            throw new Malformed(
                    "expected " + FIELDS + " fields separated by '|' (and a trailing '|'), found " + f.size());
        }
        String type = f.get(0);
        String id = f.get(1);
        String idNat = f.get(2);
        switch (type) {
            case "8" -> {
                if (!RPPS.matcher(id).matches()) {
                    throw new Malformed("Identifiant PP of an RPPS line has 11 digits, not '" + id + "'");
                }
            }
            case "0" -> {
                if (!ADELI.matcher(id).matches()) {
                    throw new Malformed("Identifiant PP of an ADELI line has 9 digits, not '" + id + "'");
                }
            }
            default -> throw new Malformed("Type d'identifiant PP is 8 (RPPS) or 0 (ADELI), not '" + type + "'");
        }
        if (!idNat.equals(type + id)) {
            throw new Malformed("Identification nationale PP should be '" + type + id + "', found '" + idNat + "'");
        }
        if (f.get(9).isEmpty()) {
            throw new Malformed("Code profession is empty");
        }
        if (f.get(7).isEmpty()) {
            throw new Malformed("Nom d'exercice is empty");
        }
        return new RppsLine(
                type,
                id,
                idNat,
                f.get(3),
                f.get(5),
                f.get(7),
                f.get(8),
                f.get(9),
                f.get(10),
                f.get(13),
                f.get(15),
                f.get(16),
                f.get(17),
                f.get(19),
                f.get(21),
                f.get(23),
                f.get(24).isEmpty() ? f.get(25) : f.get(24),
                f.get(28),
                f.get(31),
                f.get(32),
                f.get(35),
                f.get(36),
                f.get(37),
                f.get(40),
                f.get(43),
                true);
    }

    /** This line's activity without its person, which another line of the professional gave differently. */
    RppsLine withoutPerson() {
        return new RppsLine(
                idType,
                id,
                idNat,
                practiceTitle,
                civility,
                family,
                given,
                professionCode,
                professionLabel,
                skillType,
                skillCode,
                skillLabel,
                practiceMode,
                siret,
                finessSite,
                structureId,
                structureName,
                streetNumber,
                streetType,
                streetName,
                postalCode,
                cityCode,
                city,
                phone,
                email,
                false);
    }

    /**
     * Splits on '|'; a trailing '|' ends the last field rather than opening a new one. A line without it (its last
     * field then follows the last '|') reads the same.
     */
    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>(FIELDS + 1);
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '|') {
                fields.add(line.substring(start, i).trim());
                start = i + 1;
            }
        }
        fields.add(line.substring(start).trim());
        // Exactly 52 pieces: a line without its trailing '|'. Otherwise an empty last piece is what follows it.
        if (fields.size() != FIELDS && fields.size() > 1 && fields.getLast().isEmpty()) {
            fields.removeLast();
        }
        return fields;
    }
}
