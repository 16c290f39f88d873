package org.carnet.access;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The access matrix: profession × type, loaded from a data file ({@code access/matrix.csv} shows the format). Thread-
 * safe and immutable once loaded.
 */
final class AccessMatrix {

    /**
     * What one profession may see: every type ({@code types} null) or a list, with document-type limits; and the
     * emergency modes it may use ({@link AccessMode} codes; none unless the file grants them).
     */
    public record Entry(
            @org.jspecify.annotations.Nullable Set<String> types,
            @org.jspecify.annotations.Nullable Set<String> documentTypes,
            Set<String> excludedDocumentTypes,
            Set<String> modes) {

        /** Whether this profession may open a record in that mode (the normal mode is always open to it). */
        public boolean mayUse(AccessMode mode) {
            return !mode.isEmergency() || modes.contains(mode.code());
        }
    }

    private static final String MODE = "mode:";

    private static final Pattern PROFESSION = Pattern.compile("\\d{1,3}");
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]+");
    private static final String DOCUMENT = "DocumentReference";

    private final Map<String, Entry> byProfession;

    private AccessMatrix(Map<String, Entry> byProfession) {
        this.byProfession = Map.copyOf(byProfession);
    }

    /**
     * What the profession sees; empty types for a profession the matrix does not list, or none (a professional's
     * token need not name a profession).
     */
    public Entry of(@org.jspecify.annotations.Nullable String profession) {
        Entry none = new Entry(Set.of(), Set.of(), Set.of(), Set.of());
        // the map is immutable: asking it for null throws
        return profession == null ? none : byProfession.getOrDefault(profession, none);
    }

    /** Reads a matrix file; a malformed line stops the load with its number, so a bad file never half-applies. */
    public static AccessMatrix read(InputStream in, String name) throws IOException {
        Map<String, Boolean> all = new HashMap<>();
        Map<String, Set<String>> types = new HashMap<>();
        Map<String, Set<String>> documents = new HashMap<>();
        Map<String, Set<String>> excluded = new HashMap<>();
        Map<String, Set<String>> modes = new HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        boolean header = true;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                if (!line.startsWith("profession;grant")) {
                    throw new IllegalArgumentException(
                            name + " line " + number + ": expected the header 'profession;grant;source'");
                }
                continue;
            }
            String[] cells = line.split(";", -1);
            if (cells.length < 2 || !PROFESSION.matcher(cells[0].strip()).matches()) {
                throw new IllegalArgumentException(name + " line " + number + ": expected 'profession;grant;source'");
            }
            String profession = cells[0].strip();
            String grant = cells[1].strip();
            types.computeIfAbsent(profession, p -> new HashSet<>()).add("Patient");
            if (grant.startsWith(MODE)) {
                String mode = grant.substring(MODE.length()).strip();
                if (AccessMode.ofCode(mode).filter(AccessMode::isEmergency).isEmpty()) {
                    throw new IllegalArgumentException(name + " line " + number + ": unknown mode '" + mode
                            + "' (mode:bris-de-glace or mode:centre-15)");
                }
                modes.computeIfAbsent(profession, p -> new HashSet<>()).add(mode);
            } else if (grant.equals("*")) {
                all.put(profession, true);
            } else if (grant.startsWith("-" + DOCUMENT + ":")) {
                excluded.computeIfAbsent(profession, p -> new HashSet<>()).add(code(grant, name, number));
            } else if (grant.startsWith(DOCUMENT + ":")) {
                types.get(profession).add(DOCUMENT);
                documents.computeIfAbsent(profession, p -> new HashSet<>()).add(code(grant, name, number));
            } else if (TYPE.matcher(grant).matches()) {
                types.get(profession).add(grant);
                if (grant.equals(DOCUMENT)) {
                    all.putIfAbsent(profession + "/documents", true);
                }
            } else {
                throw new IllegalArgumentException(name + " line " + number + ": unknown grant '" + grant + "'");
            }
        }
        Map<String, Entry> entries = new HashMap<>();
        for (String profession : types.keySet()) {
            boolean everyType = all.containsKey(profession);
            boolean everyDocument = everyType || all.containsKey(profession + "/documents");
            entries.put(
                    profession,
                    new Entry(
                            everyType ? null : types.get(profession),
                            everyDocument ? null : documents.getOrDefault(profession, Set.of()),
                            excluded.getOrDefault(profession, Set.of()),
                            Set.copyOf(modes.getOrDefault(profession, Set.of()))));
        }
        return new AccessMatrix(entries);
    }

    private static String code(String grant, String name, int number) {
        String code = grant.substring(grant.indexOf(':') + 1).strip();
        if (code.isEmpty()) {
            throw new IllegalArgumentException(name + " line " + number + ": a document grant needs a type code");
        }
        return code;
    }
}
