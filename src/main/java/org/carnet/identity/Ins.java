package org.carnet.identity;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A matricule INS (NIR or NIA) with the OID it is filed under. Parsing removes spaces and upper-cases; a
 * value whose shape or key is wrong cannot be built. The key is 97 − (N mod 97), N being the 13-character
 * body read as a number once {@code 2A}/{@code 2B} are replaced by {@code 19}/{@code 18}.
 *
 * @param matricule the 15 characters: 13 of body and 2 of key
 * @param kind the register and OID
 */
public record Ins(String matricule, Kind kind) {

    /** The INS registers and their OIDs. */
    public enum Kind {
        NIR("1.2.250.1.213.1.4.8"),
        NIA("1.2.250.1.213.1.4.9"),
        NIR_TEST("1.2.250.1.213.1.4.10"),
        NIR_DEMO("1.2.250.1.213.1.4.11");

        public final String oid;

        Kind(String oid) {
            this.oid = oid;
        }

        /** The register of an OID, given with or without {@code urn:oid:}. */
        public static Optional<Kind> ofOid(@org.jspecify.annotations.Nullable String oid) {
            String bare = oid == null ? "" : oid.startsWith("urn:oid:") ? oid.substring(8) : oid;
            for (Kind kind : values()) {
                if (kind.oid.equals(bare)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    private static final Pattern SHAPE = Pattern.compile("[12]\\d{4}(\\d{2}|2A|2B)\\d{8}");

    public Ins {
        if (kind == null) {
            throw new InvalidInsException("An INS needs its register (NIR, NIA, test or demo OID)");
        }
        matricule = check(matricule);
    }

    /** Parses a matricule as typed or sent (spaces, lower case), for the given register. */
    public static Ins parse(@org.jspecify.annotations.Nullable String raw, Kind kind) {
        return new Ins(raw == null ? "" : raw.replace(" ", "").toUpperCase(Locale.ROOT), kind);
    }

    /** A month outside 01–12 is legal in real NIRs (unknown birth month); it deserves a warning, not a refusal. */
    public boolean hasUnusualMonth() {
        int month = Integer.parseInt(matricule.substring(3, 5));
        return month < 1 || month > 12;
    }

    /** The key for a 13-character body. */
    public static String key(String body) {
        if (body == null || body.length() != 13 || !SHAPE.matcher(body + "00").matches()) {
            throw new InvalidInsException("A matricule body has 13 characters: sex, year, month, département"
                    + " (digits or 2A/2B), commune and rank");
        }
        String digits =
                body.substring(0, 5) + body.substring(5, 7).replace("2A", "19").replace("2B", "18") + body.substring(7);
        return String.format("%02d", 97 - Long.parseLong(digits) % 97);
    }

    private static String check(String matricule) {
        if (matricule == null || matricule.isEmpty()) {
            throw new InvalidInsException("The matricule INS is empty");
        }
        if (matricule.length() != 15) {
            throw new InvalidInsException(
                    "The matricule INS has 15 characters (13 + a 2-digit key), not " + matricule.length());
        }
        if (matricule.charAt(0) != '1' && matricule.charAt(0) != '2') {
            throw new InvalidInsException(
                    "The matricule INS starts with its sex digit, 1 or 2, not '" + matricule.charAt(0) + "'");
        }
        if (!SHAPE.matcher(matricule).matches()) {
            throw new InvalidInsException("The matricule INS is sex (1 digit), year (2), month (2), département"
                    + " (2 digits, or 2A/2B), commune (3), rank (3) and key (2): '" + matricule
                    + "' does not have that shape");
        }
        String expected = key(matricule.substring(0, 13));
        if (!expected.equals(matricule.substring(13))) {
            throw new InvalidInsException("The key of the matricule INS is wrong: " + matricule.substring(13)
                    + " given, " + expected + " expected (key = 97 − (first 13 characters mod 97), 2A→19, 2B→18)");
        }
        return matricule;
    }
}
