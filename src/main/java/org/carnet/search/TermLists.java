package org.carnet.search;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Named lists of terms searched at once (« syndromes gériatriques » : chute, confusion, dénutrition…), each term with
 * its own hits, count and timeline. Some ship with Carnet ({@code search/listes-de-termes.txt}, read-only); a
 * professional saves their own and may share them with every professional of the platform. A list holds words only,
 * never health data of a patient.
 */
@Service
public class TermLists {

    /** Most terms in one list. */
    public static final int MAX_TERMS = 40;

    /** Longest name and term, in characters. */
    public static final int MAX_CHARS = 80;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Map<String, List<String>> shipped;

    TermLists(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.shipped = shipped();
    }

    /**
     * A list as the API shows it.
     *
     * @param owner who saved it ("carnet" for the lists shipped with Carnet)
     * @param shared whether every professional sees it
     */
    public record TermList(String name, List<String> terms, String owner, boolean shared, boolean shipped) {}

    /** The lists {@code owner} sees: the shipped ones, their own, and those shared by others; by name. */
    public List<TermList> visibleTo(String owner) {
        Map<String, TermList> lists = new LinkedHashMap<>();
        shipped.forEach((name, terms) -> lists.put(name, new TermList(name, terms, "carnet", true, true)));
        jdbc.query(
                "select owner, name, terms, shared from term_list where owner = ? or shared order by name, owner",
                rs -> {
                    String name = rs.getString(2);
                    String listOwner = rs.getString(1);
                    TermList list = new TermList(
                            name, List.of((String[]) rs.getArray(3).getArray()), listOwner, rs.getBoolean(4), false);
                    // one's own list hides a shared one of the same name
                    if (listOwner.equals(owner) || !lists.containsKey(name)) {
                        lists.put(name, list);
                    }
                },
                owner);
        return List.copyOf(lists.values());
    }

    /** The terms of the list named so that {@code owner} sees, if any. */
    public Optional<List<String>> terms(String name, String owner) {
        return visibleTo(owner).stream()
                .filter(l -> l.name().equals(name))
                .findFirst()
                .map(TermList::terms);
    }

    /**
     * Saves (creates or replaces) one of {@code owner}'s lists.
     *
     * @throws SearchSyntaxException a name or a term that is empty, too long or not a searchable query, or the name of
     *     a list shipped with Carnet
     */
    public TermList save(String owner, String name, List<String> terms, boolean shared) {
        String cleanName = name.strip();
        if (cleanName.isEmpty() || cleanName.length() > MAX_CHARS) {
            throw new SearchSyntaxException("le nom d'une liste a de 1 à " + MAX_CHARS + " caractères");
        }
        if (shipped.containsKey(cleanName)) {
            throw new SearchSyntaxException(
                    "« " + cleanName + " » est une liste livrée avec Carnet : choisissez un autre nom");
        }
        List<String> clean = terms.stream()
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .distinct()
                .toList();
        if (clean.isEmpty() || clean.size() > MAX_TERMS) {
            throw new SearchSyntaxException("une liste a de 1 à " + MAX_TERMS + " termes");
        }
        for (String term : clean) {
            if (term.length() > MAX_CHARS) {
                throw new SearchSyntaxException("un terme a au plus " + MAX_CHARS + " caractères : « " + term + " »");
            }
            ClinicalQuery.parse(term.contains(" ") ? '"' + term.replace("\"", "") + '"' : term);
        }
        jdbc.update("""
                insert into term_list (owner, name, terms, shared, updated_at) values (?, ?, ?, ?, ?)
                on conflict (owner, name) do update
                set terms = excluded.terms, shared = excluded.shared, updated_at = excluded.updated_at""", owner, cleanName, clean.toArray(String[]::new), shared, Timestamp.from(clock.instant()));
        return new TermList(cleanName, clean, owner, shared, false);
    }

    /** Deletes one of {@code owner}'s lists; false when they have none of that name. */
    public boolean delete(String owner, String name) {
        return jdbc.update("delete from term_list where owner = ? and name = ?", owner, name.strip()) == 1;
    }

    private static Map<String, List<String>> shipped() {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        try (InputStream in = TermLists.class.getResourceAsStream("/search/listes-de-termes.txt")) {
            if (in == null) {
                throw new IllegalStateException("search/listes-de-termes.txt is missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int colon = line.indexOf(':');
                List<String> terms =
                        new ArrayList<>(Arrays.stream(line.substring(colon + 1).split(","))
                                .map(String::strip)
                                .filter(t -> !t.isEmpty())
                                .toList());
                lists.put(line.substring(0, colon).strip(), List.copyOf(terms));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lists;
    }
}
