package org.carnet.search;

import java.util.ArrayList;
import java.util.List;
import org.carnet.record.Visibility;
import org.springframework.stereotype.Service;

/**
 * Search in one patient's record, the module's entry point: parses what the clinician typed
 * ({@link ClinicalQuery}), runs it in the engine under the caller's {@link Visibility} (compiled into the query),
 * and adds the signals that only numbers carry ({@link Signals}). Auditing the search is the caller's (the API's)
 * part, as for every read.
 */
@Service
public class RecordSearch {

    private final SearchEngine engine;
    private final SearchIndexing indexing;

    RecordSearch(SearchEngine engine, SearchIndexing indexing) {
        this.engine = engine;
        this.indexing = indexing;
    }

    /**
     * Searches {@code patientId}'s record as {@code visibility} allows.
     *
     * @throws SearchSyntaxException the query cannot be understood (a client's mistake)
     * @throws IndexNotReadyException the index is being rebuilt
     */
    public SearchResults search(String patientId, SearchRequest request, Visibility visibility) {
        if (!indexing.ready()) {
            throw new IndexNotReadyException(indexing.progressPercent());
        }
        ClinicalQuery query = ClinicalQuery.parse(request.query());
        SearchResults results = engine.search(patientId, query, request, visibility);
        List<SearchResults.Signal> signals = new ArrayList<>();
        for (ClinicalQuery.Term term : query.terms()) {
            signals.addAll(Signals.derive(term, engine, patientId, visibility, request));
        }
        if (signals.isEmpty()) {
            return results;
        }
        // The documents that report the values behind each signal come first, labelled as such.
        java.util.Map<String, SearchResults.Hit> hits = new java.util.LinkedHashMap<>();
        for (SearchResults.Signal signal : signals) {
            for (SearchResults.Hit hit : engine.evidence(
                    patientId,
                    Signals.evidenceWords(signal),
                    Signals.evidenceDays(signal),
                    visibility,
                    request.count())) {
                hits.putIfAbsent(hit.reference(), hit);
            }
        }
        long added = hits.keySet().stream()
                .filter(r ->
                        results.hits().stream().noneMatch(h -> h.reference().equals(r)))
                .count();
        results.hits().forEach(h -> hits.putIfAbsent(h.reference(), h));
        return new SearchResults(
                results.total() + added,
                results.shownGroups() + added,
                results.approximate(),
                results.terms(),
                hits.values().stream().limit(request.count()).toList(),
                results.facets(),
                results.timelines(),
                List.copyOf(signals));
    }

    /**
     * The ids of {@code type} resources of the record whose text matches {@code words} in any context (what FHIR's
     * {@code _content} means), as the caller may see them; at most {@link #MAX_IDS}.
     */
    public List<String> matchingIds(String patientId, String type, String words, Visibility visibility) {
        if (!indexing.ready()) {
            throw new IndexNotReadyException(indexing.progressPercent());
        }
        return engine.matchingIds(patientId, type, ClinicalQuery.parse(words), visibility, MAX_IDS);
    }

    /** The resource types the index holds, which FHIR {@code _content} and {@code _text} can search. */
    public static final java.util.Set<String> SEARCHED_TYPES = Entries.SEARCHED;

    /** Most ids a {@code _content} search hands to the store. */
    public static final int MAX_IDS = 10_000;

    /**
     * Searches each term of a list at once: the hits of any of them, each term's own count and timeline.
     *
     * @param terms the list's terms, each a word or a phrase as a clinician types them
     */
    public SearchResults searchTerms(
            String patientId, List<String> terms, SearchRequest request, Visibility visibility) {
        if (terms.isEmpty()) {
            throw new SearchSyntaxException("la liste ne contient aucun terme");
        }
        StringBuilder query = new StringBuilder();
        for (String term : terms) {
            String t = term.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (!query.isEmpty()) {
                query.append(" OR ");
            }
            query.append(t.contains(" ") && !t.startsWith("\"") ? '"' + t.replace("\"", "") + '"' : t);
        }
        return search(
                patientId,
                new SearchRequest(
                        query.toString(),
                        request.allContexts(),
                        request.since(),
                        request.until(),
                        request.kinds(),
                        request.professions(),
                        request.facilities(),
                        request.count(),
                        request.collapse()),
                visibility);
    }

    /** The index cannot answer yet: it is being rebuilt from the record. */
    public static final class IndexNotReadyException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int percent;

        IndexNotReadyException(int percent) {
            super("L'index de recherche se reconstruit (" + percent + " %) : réessayez dans un instant.");
            this.percent = percent;
        }

        public int percent() {
            return percent;
        }
    }
}
