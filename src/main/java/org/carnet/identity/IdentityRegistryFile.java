package org.carnet.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.carnet.identity.InsiAnswer.InsiIdentity;

/**
 * The reference identity registry file: UTF-8 text, a header line, then one identity a line in 8 fields separated
 * by {@code ;} ({@link #HEADER}). Lines starting with {@code #} and blank lines are ignored. A malformed line is
 * rejected with its number and reason and never stops the reading. Reasons never quote the line's traits or
 * matricule, so they can be logged.
 */
final class IdentityRegistryFile {

    static final String HEADER = "matricule;oid;birth_name;first_names;sex;birth_date;birth_place;card_nir";
    private static final int FIELDS = 8;

    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");

    /** An identity and the NIR of the carte Vitale that covers it (null when none is known). */
    record Entry(
            InsiIdentity identity,
            @org.jspecify.annotations.Nullable String cardNir) {}

    /** What a file holds: the identities, in file order, and the lines that were not read. */
    record Contents(List<Entry> entries, List<ReferenceRegistryInsi.Rejected> rejected) {}

    /** A line or an identity that cannot enter the registry, and why. */
    static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    private IdentityRegistryFile() {}

    static Contents read(BufferedReader reader) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<ReferenceRegistryInsi.Rejected> rejected = new ArrayList<>();
        Map<Ins, Integer> seen = new HashMap<>();
        boolean headerSeen = false;
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (!headerSeen) {
                headerSeen = true;
                if (!line.strip().equalsIgnoreCase(HEADER)) {
                    rejected.add(new ReferenceRegistryInsi.Rejected(number, "expected the header line " + HEADER));
                }
                continue;
            }
            try {
                Entry entry = parse(line);
                Integer first = seen.putIfAbsent(entry.identity().ins(), number);
                if (first != null) {
                    throw new Malformed("the matricule INS, under the same OID, already appears on line " + first);
                }
                entries.add(entry);
            } catch (Malformed e) {
                rejected.add(new ReferenceRegistryInsi.Rejected(
                        number, java.util.Objects.requireNonNull(e.getMessage(), "a Malformed has its reason")));
            }
        }
        return new Contents(List.copyOf(entries), List.copyOf(rejected));
    }

    static Entry parse(String line) throws Malformed {
        if (line.indexOf('\uFFFD') >= 0) {
            throw new Malformed("the line is not valid UTF-8");
        }
        List<String> f = Arrays.stream(line.split(";", -1)).map(String::strip).toList();
        if (f.size() != FIELDS) {
            throw new Malformed("expected " + FIELDS + " fields separated by ';' (" + HEADER + "), found " + f.size());
        }
        Ins.Kind kind = Ins.Kind.ofOid(f.get(1))
                .orElseThrow(
                        () -> new Malformed(
                                "the OID is not an INS register: 1.2.250.1.213.1.4.8 (NIR), .9 (NIA), .10 (test) or .11 (demo)"));
        Ins ins = ins(f.get(0), kind, "");
        List<String> firstNames =
                f.get(3).isEmpty() ? List.of() : List.of(f.get(3).split("\\s+"));
        InsiIdentity identity = new InsiIdentity(
                ins, f.get(2), firstNames, f.get(4), f.get(5), f.get(6).toUpperCase(Locale.ROOT));
        check(identity);
        String card = f.get(7).isEmpty()
                ? null
                : ins(f.get(7), Ins.Kind.NIR, "the card NIR: ").matricule();
        return new Entry(identity, card);
    }

    /** The checks every identity of the registry passes, whether it comes from a file or from code. */
    static void check(InsiIdentity identity) throws Malformed {
        if (identity.ins() == null) {
            throw new Malformed("the matricule INS is missing");
        }
        if (identity.birthName() == null
                || ReferenceRegistryInsi.normalise(identity.birthName()).isEmpty()) {
            throw new Malformed("the birth name is empty");
        }
        if (identity.firstNames().isEmpty()
                || identity.firstNames().stream()
                        .anyMatch(n -> ReferenceRegistryInsi.normalise(n).isEmpty())) {
            throw new Malformed("the first names are empty (give them in order, separated by spaces)");
        }
        if (!"M".equals(identity.sex()) && !"F".equals(identity.sex())) {
            throw new Malformed("the sex is neither M nor F");
        }
        checkDate(identity.birthDate());
        if (!FrCorePatient.isInseeCode(identity.birthPlace())) {
            throw new Malformed("the birth place is not an INSEE commune code (5 characters: 2 digits or 2A/2B,"
                    + " then 3 digits; 99 and the country code for a birth abroad)");
        }
    }

    private static void checkDate(String date) throws Malformed {
        var parts = date == null ? null : DATE.matcher(date);
        if (parts == null || !parts.matches()) {
            throw new Malformed("the birth date is not YYYY-MM-DD (00 for an unknown day or month)");
        }
        int year = Integer.parseInt(parts.group(1));
        int month = Integer.parseInt(parts.group(2));
        int day = Integer.parseInt(parts.group(3));
        if (month > 12 || day > 31) {
            throw new Malformed("the birth date has a month above 12 or a day above 31");
        }
        if (month > 0 && day > 0) {
            try {
                LocalDate.of(year, month, day);
            } catch (DateTimeException e) {
                throw new Malformed("the birth date is not a day of the calendar");
            }
        }
    }

    private static Ins ins(String raw, Ins.Kind kind, String what) throws Malformed {
        try {
            return Ins.parse(raw, kind);
        } catch (InvalidInsException e) {
            // Ins quotes a value whose shape is wrong; the reason must not carry it (it may be logged).
            String value = "'" + raw.replace(" ", "").toUpperCase(Locale.ROOT) + "'";
            String message = java.util.Objects.requireNonNull(e.getMessage(), "an InvalidInsException has its reason")
                    .replace(value, "the value");
            throw new Malformed(what + Character.toLowerCase(message.charAt(0)) + message.substring(1));
        }
    }
}
