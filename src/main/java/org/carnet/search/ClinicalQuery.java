package org.carnet.search;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A query as a clinician types it, parsed: words, {@code "phrases"}, {@code -exclusions}, {@code OR} between two
 * terms, a {@code prefix*}, and field filters {@code type:}, {@code auteur:}, {@code profession:}, {@code lieu:},
 * {@code depuis:} and {@code jusqua:} (dates {@code AAAA}, {@code AAAA-MM} or {@code AAAA-MM-JJ}). Terms are all
 * required (AND) unless joined by {@code OR}. Anything else is a {@link SearchSyntaxException} with a French
 * message saying where and why, which the API answers with 400.
 *
 * @param groups terms all required, each group met by any of its terms
 * @param excluded terms none of the hits may contain
 * @param filters the field filters, in the order typed
 */
record ClinicalQuery(List<List<Term>> groups, List<Term> excluded, List<Filter> filters) {

    /** Longest query accepted, in characters. */
    static final int MAX_LENGTH = 1_000;

    /** Most terms in one query (a term list of 40 terms is still one query). */
    static final int MAX_TERMS = 64;

    /**
     * A term: a word ({@code phrase} false, {@code prefix} false), a phrase, or a word's beginning.
     *
     * @param text as typed, without quotes or star
     */
    record Term(String text, boolean phrase, boolean prefix) {
        String shown() {
            return phrase ? '"' + text + '"' : prefix ? text + "*" : text;
        }
    }

    /** A field filter; {@code from} and {@code to} are set for dates, {@code value} for the others. */
    record Filter(
            String field,
            String value,
            @Nullable LocalDate from,
            @Nullable LocalDate to) {}

    /** Every term of every group, in the order typed. */
    List<Term> terms() {
        return groups.stream().flatMap(List::stream).toList();
    }

    static ClinicalQuery parse(String input) {
        if (input.length() > MAX_LENGTH) {
            throw new SearchSyntaxException("la recherche dépasse " + MAX_LENGTH + " caractères");
        }
        List<List<Term>> groups = new ArrayList<>();
        List<Integer> typedAt = new ArrayList<>(); // the item number each group was typed at
        int item = 0;
        List<Term> excluded = new ArrayList<>();
        List<Filter> filters = new ArrayList<>();
        boolean orPending = false;
        int i = 0;
        int n = input.length();
        int count = 0;
        while (i < n) {
            char c = input.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            boolean exclude = false;
            if (c == '-' && i + 1 < n && !Character.isWhitespace(input.charAt(i + 1))) {
                exclude = true;
                i++;
                c = input.charAt(i);
            }
            item++;
            Term term;
            if (c == '"') {
                int close = input.indexOf('"', i + 1);
                if (close < 0) {
                    throw new SearchSyntaxException(
                            "guillemet ouvert en position " + (i + 1) + " sans guillemet fermant");
                }
                String phrase = input.substring(i + 1, close).strip();
                if (phrase.isEmpty()) {
                    throw new SearchSyntaxException("expression vide entre guillemets en position " + (i + 1));
                }
                term = new Term(phrase, true, false);
                i = close + 1;
            } else {
                int end = i;
                while (end < n && !Character.isWhitespace(input.charAt(end)) && input.charAt(end) != '"') {
                    end++;
                }
                String word = input.substring(i, end);
                i = end;
                int colon = word.indexOf(':');
                if (colon > 0 && !exclude && isFilterName(word.substring(0, colon))) {
                    filters.add(filter(word.substring(0, colon).toLowerCase(Locale.ROOT), word.substring(colon + 1)));
                    continue;
                }
                if (word.equals("OR")) {
                    if (groups.isEmpty() || orPending) {
                        throw new SearchSyntaxException("OR doit relier deux termes");
                    }
                    orPending = true;
                    continue;
                }
                boolean prefix = word.endsWith("*");
                String text = prefix ? word.substring(0, word.length() - 1) : word;
                if (text.contains("*")) {
                    throw new SearchSyntaxException("« * » ne s'emploie qu'en fin de mot (" + word + ")");
                }
                if (prefix && ClinicalAnalysis.normalise(text).length() < 3) {
                    throw new SearchSyntaxException(
                            "un début de mot avec « * » doit avoir au moins 3 lettres (" + word + ")");
                }
                if (text.isEmpty()) {
                    throw new SearchSyntaxException("terme vide en position " + i);
                }
                term = new Term(text, false, prefix);
            }
            if (++count > MAX_TERMS) {
                throw new SearchSyntaxException("trop de termes (au plus " + MAX_TERMS + ")");
            }
            if (exclude) {
                if (orPending) {
                    throw new SearchSyntaxException("OR ne peut pas précéder une exclusion");
                }
                excluded.add(term);
            } else if (orPending) {
                groups.getLast().add(term);
                orPending = false;
            } else {
                groups.add(new ArrayList<>(List.of(term)));
                typedAt.add(item);
            }
        }
        if (orPending) {
            throw new SearchSyntaxException("OR doit relier deux termes");
        }
        if (groups.isEmpty() && filters.isEmpty()) {
            throw new SearchSyntaxException(
                    excluded.isEmpty() ? "la recherche est vide" : "une recherche ne peut pas faire qu'exclure");
        }
        return new ClinicalQuery(
                expressions(groups, typedAt).stream().map(List::copyOf).toList(),
                List.copyOf(excluded),
                List.copyOf(filters));
    }

    /** Longest expression looked for among consecutive words, in words. */
    private static final int EXPRESSION_WORDS = 5;

    /**
     * Consecutive plain words that together make an expression of the synonym file (« insuffisance rénale »,
     * « perte de poids ») become one term, searched with that expression's synonyms and shown with one timeline; the
     * longest expression wins. Other words stay terms of their own.
     */
    private static List<List<Term>> expressions(List<List<Term>> groups, List<Integer> typedAt) {
        List<List<Term>> merged = new ArrayList<>();
        int i = 0;
        while (i < groups.size()) {
            int longest = 1;
            for (int n = Math.min(EXPRESSION_WORDS, groups.size() - i); n >= 2 && longest == 1; n--) {
                boolean plain = true;
                StringBuilder words = new StringBuilder();
                for (int k = i; k < i + n && plain; k++) {
                    List<Term> group = groups.get(k);
                    Term t = group.getFirst();
                    plain = group.size() == 1
                            && !t.phrase()
                            && !t.prefix()
                            && (k == i || typedAt.get(k) == typedAt.get(k - 1) + 1);
                    words.append(k == i ? "" : " ").append(t.text());
                }
                if (plain && ClinicalAnalysis.isExpression(words.toString())) {
                    longest = n;
                    merged.add(new ArrayList<>(List.of(new Term(words.toString(), false, false))));
                }
            }
            if (longest == 1) {
                merged.add(groups.get(i));
            }
            i += longest;
        }
        return merged;
    }

    private static boolean isFilterName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "type", "auteur", "profession", "lieu", "depuis", "jusqua", "statut" -> true;
            default -> false;
        };
    }

    private static Filter filter(String field, String value) {
        if (value.isBlank()) {
            throw new SearchSyntaxException("le filtre " + field + ": attend une valeur (ex. " + field + ":"
                    + (field.equals("depuis") || field.equals("jusqua") ? "2024-01" : "valeur") + ")");
        }
        if (field.equals("depuis") || field.equals("jusqua")) {
            LocalDate[] range = dateRange(value, field);
            return new Filter(field, value, range[0], range[1]);
        }
        return new Filter(field, value.replace('_', ' '), null, null);
    }

    /** The first and last day a typed date covers: {@code 2024}, {@code 2024-03} or {@code 2024-03-15}. */
    static LocalDate[] dateRange(String value, String field) {
        try {
            if (value.matches("\\d{4}")) {
                LocalDate from = LocalDate.of(Integer.parseInt(value), 1, 1);
                return new LocalDate[] {from, from.plusYears(1).minusDays(1)};
            }
            if (value.matches("\\d{4}-\\d{2}")) {
                LocalDate from = LocalDate.parse(value + "-01");
                return new LocalDate[] {from, from.plusMonths(1).minusDays(1)};
            }
            LocalDate day = LocalDate.parse(value);
            return new LocalDate[] {day, day};
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new SearchSyntaxException(
                    "date invalide pour " + field + ": « " + value + " » (attendu AAAA, AAAA-MM ou AAAA-MM-JJ)");
        }
    }
}
