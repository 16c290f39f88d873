package org.carnet.identity;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Phonetic and typographic closeness of French names, for identity vigilance: finding patients who may be
 * recorded twice under spellings of one name (MARTIN / MARTAIN, LEFEBVRE / LEFEVRE, HÉLÈNE / HELENE).
 *
 * <p>The phonetic key is <b>Phonex</b> (Frédéric Brouard, 1997), a Soundex successor designed for French, as
 * published by F. Brouard and transcribed by F. Carlier (Université du Maine). The name is first
 * {@linkplain #normalise normalised} and its words joined, so that {@code LE GALL}, {@code LE-GALL} and
 * {@code LEGALL} share a key; then the rules run in this order:
 *
 * <ol>
 *   <li>Y → I.
 *   <li>An H not preceded by C, S or P is dropped (an initial H too).
 *   <li>PH → F.
 *   <li>G before AN, AM, AIN, AIM → K.
 *   <li>AIN, EIN, AIM, EIM followed by a vowel → YN.
 *   <li>EAU → O; OUA → 2; EIN, AIN, EIM, AIM → 4 (sounds "o", "oua", "in").
 *   <li>Sound "é": AI, EI → Y; ER → YR; ESS → YS; ET → YT; EZ → YZ.
 *   <li>AN, ON, AM, EN, EM → 1 and IN → 4 (nasal sounds), unless followed by a vowel or a sound 1 to 4.
 *   <li>S between two vowels (A E I O U Y or a sound 1 to 4) → Z.
 *   <li>OE, EU → E; AU → O; OI, OY → 2; OU → 3.
 *   <li>SCH, CH, SH → 5; SS → S; SC before E or I → S.
 *   <li>C before E or I → S.
 *   <li>QU, GU, C, Q → K; G before A, O, Y → K.
 *   <li>A → O; D, P → T; J → G; B, V → F; M → N.
 *   <li>Repeated letters are squeezed to one.
 *   <li>A final T or X is dropped.
 * </ol>
 *
 * <p>Brouard's last steps read the resulting letters as a base-22 fraction (a {@code double}); the key here is
 * the letter string itself, which compares the same way without the precision loss of long names.
 *
 * <p>Where the widely copied regular-expression transcriptions contradict the wording of a rule, the wording
 * wins: an initial H is dropped (rule 2), "not followed by a vowel" includes the end of the name (rule 8, so
 * MARTIN and MARTAIN agree), overlapping S are all voiced (rule 9), SCH is matched before CH and QU/GU before
 * Q/C (rules 11 and 13, otherwise dead), and SC becomes S only before E or I (PISCINE, not PASCAL).
 *
 * <p>Carnet adds two adjustments for names, both tested: a final {@code AULT} loses its silent L (RENAULT,
 * THIBAULT, PERRAULT sound like RENAUD, THIBAUD, PERRAUD); and rule 8 does not form a nasal before a doubled
 * N or M (CORINNE, JEANNE, FABIENNE sound like CORINE, JEANE, FABIENE, as they are pronounced).
 *
 * <p>Accented letters are stripped before the rules, so Brouard's É/È/Ê → Y never fires: accents are too often
 * missing from registry data for HÉLÈNE and HELENE to be told apart.
 */
final class FrenchPhonetics {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SEPARATORS = Pattern.compile("['’‘ʼ`´\\-‐‑‒–—.\\s]+");
    private static final Pattern NOT_A_LETTER = Pattern.compile("[^A-Z]");
    private static final Pattern SILENT_L_OF_AULT = Pattern.compile("AULT\\b");
    private static final Pattern REPEATS = Pattern.compile("(.)\\1+");
    private static final Pattern FINAL_T_OR_X = Pattern.compile("[TX]$");

    private static final String VOWEL_OR_SOUND = "AEIOU1234";

    private static final List<Rule> RULES = List.of(
            // 1
            new Rule("Y", "I"),
            // 2
            new Rule("(?<![CSP])H", ""),
            // 3
            new Rule("PH", "F"),
            // 4
            new Rule("G(?=AI?[NM])", "K"),
            // 5
            new Rule("[AE]I[NM](?=[AEIOU])", "YN"),
            // 6
            new Rule("EAU", "O"),
            new Rule("OUA", "2"),
            new Rule("[EA]I[NM]", "4"),
            // 7
            new Rule("[AE]I", "Y"),
            new Rule("E(?=[RTZ])", "Y"),
            new Rule("ESS", "YS"),
            // 8
            new Rule("[AOE]N(?![" + VOWEL_OR_SOUND + "N])", "1"),
            new Rule("[AE]M(?![" + VOWEL_OR_SOUND + "M])", "1"),
            new Rule("IN(?![" + VOWEL_OR_SOUND + "N])", "4"),
            // 9
            new Rule("(?<=[AEIOUY1234])S(?=[AEIOUY1234])", "Z"),
            // 10
            new Rule("OE|EU", "E"),
            new Rule("AU", "O"),
            new Rule("O[IY]", "2"),
            new Rule("OU", "3"),
            // 11
            new Rule("S?CH|SH", "5"),
            new Rule("SS", "S"),
            new Rule("SC(?=[EI])", "S"),
            // 12
            new Rule("C(?=[EI])", "S"),
            // 13
            new Rule("QU|GU|C|Q", "K"),
            new Rule("G(?=[AOY])", "K"),
            // 14
            new Rule("A", "O"),
            new Rule("[DP]", "T"),
            new Rule("J", "G"),
            new Rule("[BV]", "F"),
            new Rule("M", "N"));

    private FrenchPhonetics() {}

    /**
     * The name in upper case without accents, Œ and Æ spelt OE and AE, apostrophes, hyphens and dots turned
     * into single spaces, trimmed; {@code ""} for {@code null} or blank.
     */
    static String normalise(String name) {
        if (name == null) {
            return "";
        }
        String ligaturesSpelt =
                name.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE");
        String unaccented = MARKS.matcher(Normalizer.normalize(ligaturesSpelt, Normalizer.Form.NFD))
                .replaceAll("");
        return SEPARATORS
                .matcher(unaccented.toUpperCase(Locale.ROOT))
                .replaceAll(" ")
                .strip();
    }

    /**
     * The Phonex key of a name (see the class comment), made of the letters E F G H I K L N O R S T U W X Y Z
     * and the digits 1 to 5; {@code ""} for a name without letters, {@code null} or blank.
     */
    static String code(String name) {
        String words = SILENT_L_OF_AULT.matcher(normalise(name)).replaceAll("AUT");
        String key = NOT_A_LETTER.matcher(words).replaceAll("");
        for (Rule rule : RULES) {
            key = rule.pattern().matcher(key).replaceAll(rule.replacement());
        }
        key = REPEATS.matcher(key).replaceAll("$1");
        return FINAL_T_OR_X.matcher(key).replaceFirst("");
    }

    /**
     * Whether two names may be one: same non-empty Phonex key, or same non-empty normalised spelling. Two
     * empty or letterless names are not alike: they carry no evidence of one identity.
     */
    static boolean soundAlike(String a, String b) {
        String normalisedA = normalise(a);
        if (!normalisedA.isEmpty() && normalisedA.equals(normalise(b))) {
            return true;
        }
        String codeA = code(a);
        return !codeA.isEmpty() && codeA.equals(code(b));
    }

    /**
     * The Damerau–Levenshtein distance between the normalised names: the fewest insertions, deletions,
     * substitutions and transpositions of adjacent characters that turn one into the other (MRATIN → MARTIN
     * is 1). This is the unrestricted distance (Lowrance–Wagner), a true metric, not the "optimal string
     * alignment" variant: CA → ABC is 2. {@code null} counts as empty.
     */
    static int editDistance(String a, String b) {
        int[] source = normalise(a).codePoints().toArray();
        int[] target = normalise(b).codePoints().toArray();
        int n = source.length;
        int m = target.length;
        int infinity = n + m;
        // d[i + 1][j + 1] is the distance between the first i characters of source and the first j of target;
        // row and column 0 hold "infinity" so that a transposition never reaches before the start.
        int[][] d = new int[n + 2][m + 2];
        d[0][0] = infinity;
        for (int i = 0; i <= n; i++) {
            d[i + 1][0] = infinity;
            d[i + 1][1] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j + 1] = infinity;
            d[1][j + 1] = j;
        }
        Map<Integer, Integer> lastRowOf = new HashMap<>();
        for (int i = 1; i <= n; i++) {
            int lastMatchingColumn = 0;
            for (int j = 1; j <= m; j++) {
                int k = lastRowOf.getOrDefault(target[j - 1], 0);
                int l = lastMatchingColumn;
                int cost = 1;
                if (source[i - 1] == target[j - 1]) {
                    cost = 0;
                    lastMatchingColumn = j;
                }
                d[i + 1][j + 1] = Math.min(
                        Math.min(d[i][j] + cost, d[i + 1][j] + 1),
                        Math.min(d[i][j + 1] + 1, d[k][l] + (i - k - 1) + 1 + (j - l - 1)));
            }
            lastRowOf.put(source[i - 1], i);
        }
        return d[n + 1][m + 1];
    }

    private record Rule(Pattern pattern, String replacement) {

        Rule(String regex, String replacement) {
            this(Pattern.compile(regex), replacement);
        }
    }
}
