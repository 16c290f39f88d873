package org.carnet.search;

import java.util.Collection;
import java.util.List;
import org.carnet.record.Visibility;

/**
 * The port between the search module and the engine that holds the entries: the embedded Lucene index
 * ({@link LuceneIndex}) today; a clustered engine (OpenSearch, routed by patient) could serve the same calls. Every
 * query carries the caller's {@link Visibility}, which the engine compiles into the query itself.
 */
interface SearchEngine {

    /** Puts these entries in place of any earlier state of the same resources, and removes the {@code removed} keys. */
    void apply(Collection<Entry> entries, Collection<String> removed);

    /** Makes everything applied so far durable (a crash after this loses nothing). */
    void commit();

    /** Forgets every entry (before a rebuild); the index is then incomplete until {@link #markComplete()}. */
    void clear();

    /** Records, durably, that the index holds the whole record store (a rebuild finished). */
    void markComplete();

    /** Whether a rebuild finished since the index was created or cleared. */
    boolean complete();

    /** How many entries the index holds. */
    long size();

    /** Bytes the index takes on disk. */
    long bytesOnDisk();

    /** Runs a parsed query in one patient's entries, as the caller may see them. */
    SearchResults search(String patientId, ClinicalQuery query, SearchRequest request, Visibility visibility);

    /**
     * The documents, newest first, that mention one of {@code words} and are dated within one of {@code days} (each
     * a first and last day): the documents that report the values behind a derived signal, as the caller may see
     * them.
     */
    List<SearchResults.Hit> evidence(
            String patientId, List<String> words, List<java.time.LocalDate[]> days, Visibility visibility, int max);

    /** The ids of {@code type} entries matching the query in any context, as the caller may see them. */
    List<String> matchingIds(String patientId, String type, ClinicalQuery query, Visibility visibility, int max);

    /**
     * The measured values of one patient with these codes (LOINC…), as the caller may see them, oldest first: what
     * the derived signals read.
     */
    List<SearchResults.Value> measures(String patientId, Collection<String> codes, Visibility visibility);
}
