package org.carnet.search;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a search in one record found, all of it drawn only from entries the caller may see: the hits (duplicates
 * collapsed), the facets, one timeline per term, and the signals derived from the record's numbers.
 *
 * @param total how many entries match (before collapsing duplicates)
 * @param shownGroups how many distinct results there are once duplicates are collapsed
 * @param approximate whether few exact matches made the search also accept words one letter away
 * @param terms the terms searched, in the order typed, each with its highlight class ({@code t1}, {@code t2}…)
 */
public record SearchResults(
        long total,
        long shownGroups,
        boolean approximate,
        List<TermInfo> terms,
        List<Hit> hits,
        Map<String, List<FacetValue>> facets,
        List<Timeline> timelines,
        List<Signal> signals) {

    /** A term as searched, with the highlight class of its matches in snippets. */
    public record TermInfo(String term, String highlightClass) {}

    /**
     * One result.
     *
     * @param reference {@code Type/id} of the resource
     * @param uniqueId a document's unique id (masterIdentifier), "" for other entries
     * @param date the clinical date ({@code AAAA-MM-JJ}), null when the entry has none
     * @param context what the matched mentions say of the patient: {@code affirmed}, {@code negated},
     *     {@code hypothetical}, {@code other-person}, {@code generic}
     * @param snippets passages with the terms marked {@code <mark class="t1">…</mark>}, the rest HTML-escaped
     * @param copies the other entries collapsed into this one (the same text filed again, copy-forwarded notes)
     *     <p>No score is given: a score depends on statistics of the whole index, hidden documents included.
     */
    public record Hit(
            String reference,
            String type,
            String uniqueId,
            String title,
            String kind,
            @Nullable String date,
            String author,
            String profession,
            String facility,
            String status,
            String context,
            List<String> snippets,
            List<String> copies) {}

    /** A facet value and how many matching entries have it. */
    public record FacetValue(String value, long count) {}

    /**
     * When a term is mentioned: its first and last mention and counts per year and per month ({@code AAAA},
     * {@code AAAA-MM}), over the matching entries that have a date.
     */
    public record Timeline(
            String term,
            long count,
            @Nullable String first,
            @Nullable String last,
            Map<String, Long> perYear,
            Map<String, Long> perMonth) {}

    /**
     * A signal derived from numbers, not from words: labelled as such, with the values behind it.
     *
     * @param term the query term that asked for it
     * @param kind {@code weight-loss}, {@code falling-egfr}, {@code low-haemoglobin}
     * @param summary in French, e.g. « Poids : 77 → 71 kg (−7,8 %) entre 2024-01-10 et 2024-06-02 »
     */
    public record Signal(String term, String kind, String summary, List<Value> values) {}

    /** One measured value behind a signal. */
    public record Value(String reference, String date, double value, String unit) {}
}
