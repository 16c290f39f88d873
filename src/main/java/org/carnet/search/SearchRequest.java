package org.carnet.search;

import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A search in one patient's record.
 *
 * @param query what the clinician typed (see {@code docs/search.md} for the syntax)
 * @param allContexts also count mentions that are negated, hypothetical, about someone else or generic, each
 *     labelled; by default only affirmed mentions about the patient count
 * @param since only entries dated on or after this day (e.g. "new since my last access"); null for no bound
 * @param until only entries dated on or before this day; null for no bound
 * @param kinds only entries of these kinds (a facet's values: document types, "Résultat"…); empty for all
 * @param professions only entries whose author has one of these professions; empty for all
 * @param facilities only entries from one of these facilities; empty for all
 * @param count how many hits (after collapsing duplicates) to return, 1 to 200
 * @param collapse whether near-duplicates are shown once, with their copies listed
 */
public record SearchRequest(
        String query,
        boolean allContexts,
        @Nullable LocalDate since,
        @Nullable LocalDate until,
        List<String> kinds,
        List<String> professions,
        List<String> facilities,
        int count,
        boolean collapse) {

    public static final int MAX_COUNT = 200;

    public SearchRequest {
        kinds = List.copyOf(kinds);
        professions = List.copyOf(professions);
        facilities = List.copyOf(facilities);
        if (count < 1 || count > MAX_COUNT) {
            throw new SearchSyntaxException("count doit être entre 1 et " + MAX_COUNT);
        }
        if (since != null && until != null && until.isBefore(since)) {
            throw new SearchSyntaxException("la date de fin précède la date de début");
        }
    }

    /** Only the query, with the defaults: affirmed mentions, 20 hits, duplicates collapsed. */
    public static SearchRequest of(String query) {
        return new SearchRequest(query, false, null, null, List.of(), List.of(), List.of(), 20, true);
    }
}
