package org.carnet.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;
import org.apache.lucene.util.automaton.ByteRunAutomaton;
import org.carnet.record.Visibility;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The embedded Lucene index under {@code <data-dir>/search}: one Lucene document per {@link Entry}, with the full
 * text (stored, for snippets), the text once per context (words outside that context's spans blanked, offsets kept),
 * the access tags, and what facets, timelines and duplicate collapse read (doc values). Every search is one pass over
 * the patient's matching entries under the caller's {@link VisibilityQuery}: ranking with priors, facets and
 * fingerprints are read in that pass, so a patient's 20,000 entries cost a few milliseconds and nothing is counted
 * that the caller may not see.
 */
@Component
class LuceneIndex implements SearchEngine, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LuceneIndex.class);

    /** Bumped when the fields change: an index of another schema is rebuilt at start. */
    static final String SCHEMA = "1";

    static final Analyzer INDEX_ANALYZER = ClinicalAnalysis.index();
    static final Analyzer QUERY_ANALYZER = ClinicalAnalysis.query();

    static final String KEY = "key";
    static final String PATIENT = "patient";
    static final String RESOURCE_TYPE = "rtype";
    static final String ACCESS_TAG = "tag";
    static final String STATUS = "status";
    static final String TITLE = "title";
    static final String UNIQUE_ID = "uid";
    static final String KIND = "kind";
    static final String AUTHOR = "author";
    static final String PROFESSION = "profession";
    static final String FACILITY = "facility";
    static final String DATE = "date";
    static final String TEXT = "text";
    static final String FINGERPRINT = "fp";
    static final String FACT = "fact";
    static final String MEASURE_CODE = "mcode";
    static final String MEASURE_VALUE = "mvalue";
    static final String MEASURE_UNIT = "munit";
    static final String WHAT = "what";
    static final String WHO = "who";
    static final String WHERE = "where";

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final FieldType STORED_TEXT = textType(true, true);
    private static final FieldType CONTEXT_TEXT = textType(false, false);
    private static final Set<String> HIDDEN_STATUSES = Set.of("entered-in-error", "superseded");

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Clock clock;
    private final double recencyWeight;
    private final double halfLifeDays;
    private final Map<String, Double> kindPriors;

    LuceneIndex(
            @Value("${carnet.data-dir}") Path dataDir,
            Clock clock,
            @Value("${carnet.search.recency-weight:0.3}") double recencyWeight,
            @Value("${carnet.search.recency-half-life-days:730}") double halfLifeDays,
            @Value("#{${carnet.search.kind-priors:{:}}}") Map<String, Double> kindPriors)
            throws IOException {
        Path path = dataDir.resolve("search");
        Files.createDirectories(path);
        this.directory = FSDirectory.open(path);
        IndexWriterConfig config = new IndexWriterConfig(INDEX_ANALYZER)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64)
                // each event's commit makes a small segment: merge them in larger batches, less often
                .setMergePolicy(new org.apache.lucene.index.TieredMergePolicy().setSegmentsPerTier(25));
        IndexWriter opened = new IndexWriter(directory, config);
        String schema =
                opened.getLiveCommitData() == null ? null : userData(opened).get("schema");
        if (schema != null && !schema.equals(SCHEMA)) {
            log.info("The search index has schema {}, this version writes {}: it is rebuilt", schema, SCHEMA);
            opened.deleteAll();
            opened.setLiveCommitData(Map.of("schema", SCHEMA).entrySet());
            opened.commit();
        }
        this.writer = opened;
        this.searchers = new SearcherManager(writer, null);
        this.clock = clock;
        this.recencyWeight = recencyWeight;
        this.halfLifeDays = halfLifeDays;
        this.kindPriors = Map.copyOf(kindPriors);
    }

    private static Map<String, String> userData(IndexWriter writer) {
        Map<String, String> data = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(e -> data.put(e.getKey(), e.getValue()));
        }
        return data;
    }

    private static FieldType textType(boolean stored, boolean offsets) {
        FieldType type = new FieldType();
        type.setTokenized(true);
        type.setStored(stored);
        type.setIndexOptions(
                offsets
                        ? IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS
                        : IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
        type.freeze();
        return type;
    }

    /** The field holding the text said in one context (the rest blanked). */
    static String contextField(MentionContext context) {
        return "ctx_" + Snippets.label(context);
    }

    // ---------------------------------------------------------------- writing

    @Override
    public void apply(Collection<Entry> entries, Collection<String> removed) {
        try {
            for (String key : removed) {
                writer.deleteDocuments(new Term(KEY, key));
            }
            for (Entry entry : entries) {
                writer.updateDocument(new Term(KEY, entry.key()), document(entry));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the search index", e);
        }
        synchronized (commits) {
            applied++;
        }
    }

    @Override
    public void commit() {
        long mine;
        synchronized (commits) {
            mine = applied;
            while (committed < mine && committing) {
                try {
                    commits.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while the search index committed", e);
                }
            }
            if (committed >= mine) {
                return; // a commit that began after my changes covered them
            }
            committing = true;
        }
        long upto = mine;
        boolean done = false;
        try {
            // Wait a moment for the changes of other events under way, so that one commit (one small segment to
            // merge later) covers them all.
            Thread.sleep(COMMIT_LINGER_MS);
            synchronized (commits) {
                upto = applied;
            }
            writer.commit();
            stale = true; // the next search opens the new view, not every commit
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not commit the search index", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the search index committed", e);
        } finally {
            synchronized (commits) {
                committing = false;
                if (done && upto > committed) {
                    committed = upto;
                }
                commits.notifyAll();
            }
        }
    }

    /** How long a commit waits for the changes of other events under way, in milliseconds. */
    private static final long COMMIT_LINGER_MS = 25;

    /** Guards {@link #applied}, {@link #committed} and {@link #committing}: one commit at a time covers them all. */
    private final Object commits = new Object();

    private long applied;
    private long committed;

    /** Whether a commit happened since the searchers' view was last opened. */
    private volatile boolean stale;

    private boolean committing;

    @Override
    public void clear() {
        try {
            writer.deleteAll();
            writer.setLiveCommitData(Map.of("schema", SCHEMA).entrySet());
            synchronized (commits) {
                applied++;
            }
            commit();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not clear the search index", e);
        }
    }

    @Override
    public void markComplete() {
        writer.setLiveCommitData(Map.of("schema", SCHEMA, "complete", "true").entrySet());
        synchronized (commits) {
            applied++;
        }
        commit();
    }

    @Override
    public boolean complete() {
        return "true".equals(userData(writer).get("complete"));
    }

    @Override
    public long size() {
        return writer.getDocStats().numDocs;
    }

    @Override
    public long bytesOnDisk() {
        try {
            // the files of the latest commit: older segments still open in a searcher are on their way out
            long total = 0;
            for (String file : org.apache.lucene.index.SegmentInfos.readLatestCommit(directory)
                    .files(true)) {
                total += directory.fileLength(file);
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    @jakarta.annotation.PreDestroy
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }

    private static Document document(Entry e) {
        Document d = new Document();
        d.add(new StringField(KEY, e.key(), Field.Store.YES));
        d.add(new StringField(PATIENT, e.patientId(), Field.Store.NO));
        d.add(new StringField(RESOURCE_TYPE, e.type(), Field.Store.YES));
        for (String tag : e.accessTags()) {
            d.add(new StringField(ACCESS_TAG, tag, Field.Store.NO));
        }
        d.add(new StringField(STATUS, e.status(), Field.Store.YES));
        d.add(new StoredField(TITLE, e.title()));
        d.add(new StoredField(UNIQUE_ID, e.uniqueId()));
        keyword(d, KIND, e.kind());
        keyword(d, PROFESSION, e.profession());
        keyword(d, FACILITY, e.facility());
        d.add(new StoredField(AUTHOR, e.author()));
        d.add(new TextField(WHAT, e.kind() + "\n" + e.title() + "\n" + frenchType(e.type()), Field.Store.NO));
        d.add(new TextField(WHO, e.author() + "\n" + e.profession(), Field.Store.NO));
        d.add(new TextField(WHERE, e.facility(), Field.Store.NO));
        if (e.date() != Long.MIN_VALUE) {
            d.add(new LongPoint(DATE, e.date()));
            d.add(new NumericDocValuesField(DATE, e.date()));
            d.add(new StoredField(DATE, e.date()));
        }
        String text = e.text();
        d.add(new Field(TEXT, text, STORED_TEXT));
        long fingerprint = Fingerprints.of(e.title() + "\n" + text);
        d.add(new NumericDocValuesField(FINGERPRINT, fingerprint));
        MentionContext fact = e.factContext();
        if (fact != null) {
            d.add(new StoredField(FACT, fact.name()));
            if (fact == MentionContext.AFFIRMED) {
                d.add(new Field(contextField(fact), text, CONTEXT_TEXT));
            }
        } else {
            // Only the affirmed text has a field of its own: every other context is searched through the whole text
            // (contextes=tous), and each mention's context is labelled when its snippet is made.
            String only = only(text, ContextDetector.spans(text), MentionContext.AFFIRMED);
            if (only != null) {
                d.add(new Field(contextField(MentionContext.AFFIRMED), only, CONTEXT_TEXT));
            }
        }
        Entry.Measure measure = e.measure();
        if (measure != null && !measure.code().isEmpty()) {
            d.add(new StringField(MEASURE_CODE, measure.code(), Field.Store.YES));
            d.add(new StoredField(MEASURE_VALUE, measure.value()));
            d.add(new StoredField(MEASURE_UNIT, measure.unit()));
        }
        return d;
    }

    private static void keyword(Document d, String field, String value) {
        d.add(new StringField(field, value, Field.Store.YES));
        d.add(new SortedDocValuesField(field, new BytesRef(value)));
    }

    /** The text with everything outside {@code context}'s spans blanked (offsets kept), or null when none is. */
    private static @Nullable String only(String text, List<ContextSpan> spans, MentionContext context) {
        boolean any = false;
        boolean all = true;
        for (ContextSpan span : spans) {
            if (span.context() == context) {
                any = true;
            } else {
                all = false;
            }
        }
        if (!any) {
            return null;
        }
        if (all) {
            return text;
        }
        char[] chars = text.toCharArray();
        for (ContextSpan span : spans) {
            if (span.context() != context) {
                for (int i = span.start(); i < span.end() && i < chars.length; i++) {
                    if (!Character.isWhitespace(chars[i])) {
                        chars[i] = ' ';
                    }
                }
            }
        }
        return new String(chars);
    }

    /** The French name of a resource type, so that {@code type:traitement} finds prescriptions. */
    static String frenchType(String type) {
        return switch (type) {
            case "DocumentReference" -> "document";
            case "Composition" -> "document";
            case "DiagnosticReport" -> "compte rendu examen";
            case "Observation" -> "résultat mesure";
            case "Condition" -> "problème diagnostic";
            case "MedicationRequest", "MedicationStatement" -> "traitement médicament";
            case "AllergyIntolerance" -> "allergie";
            case "Immunization" -> "vaccination vaccin";
            case "Procedure" -> "acte intervention";
            case "Encounter" -> "venue séjour consultation";
            case "FamilyMemberHistory" -> "antécédent familial";
            default -> type;
        };
    }

    // ---------------------------------------------------------------- searching

    /** Something read from one point-in-time view of the index. */
    private interface Read<T> {
        T from(IndexSearcher searcher) throws IOException;
    }

    private <T> T read(Read<T> read) {
        IndexSearcher searcher;
        try {
            if (stale) {
                stale = false;
                searchers.maybeRefreshBlocking();
            }
            searcher = searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return read.from(searcher);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not search the index", e);
        } finally {
            try {
                searchers.release(searcher);
            } catch (IOException e) {
                log.warn("Could not release a searcher", e);
            }
        }
    }

    /** One matching entry as the collecting pass reads it. */
    private record Found(int doc, float score, long date, String kind, String profession, String facility, long fp) {}

    @Override
    public SearchResults search(String patientId, ClinicalQuery query, SearchRequest request, Visibility visibility) {
        try {
            return read(searcher -> search(searcher, patientId, query, request, visibility));
        } catch (IndexSearcher.TooManyClauses e) {
            throw new SearchSyntaxException("la recherche est trop large (un début de mot trop court ?)");
        }
    }

    private SearchResults search(
            IndexSearcher searcher, String patientId, ClinicalQuery query, SearchRequest request, Visibility visibility)
            throws IOException {
        String field = request.allContexts() ? TEXT : contextField(MentionContext.AFFIRMED);
        Query filter = filter(patientId, query, request, visibility);
        List<ClinicalQuery.Term> terms = query.terms();
        List<Query> exact = new ArrayList<>();
        for (ClinicalQuery.Term term : terms) {
            exact.add(termQuery(term, field, false));
        }
        List<Found> found = collect(searcher, main(query, exact, filter));
        boolean approximate = false;
        if (found.size() < 3 && terms.stream().anyMatch(LuceneIndex::fuzzyable)) {
            List<Query> loose = new ArrayList<>();
            for (ClinicalQuery.Term term : terms) {
                loose.add(termQuery(term, field, true));
            }
            List<Found> more = collect(searcher, main(query, loose, filter));
            if (more.size() > found.size()) {
                found = more;
                exact = loose;
                approximate = true;
            }
        }
        boolean byScore = !terms.isEmpty();
        long now = clock.millis();
        List<Found> ranked = new ArrayList<>(found);
        java.util.function.ToDoubleFunction<Found> rank =
                byScore ? f -> f.score() * prior(f, now) : f -> (double) f.date();
        ranked.sort(java.util.Comparator.comparingDouble(rank)
                .thenComparingLong(Found::date)
                .reversed());

        // duplicates: every later entry near an earlier leader joins it
        List<List<Found>> groups = request.collapse() ? Fingerprints.group(ranked, Found::fp) : singletons(ranked);

        List<Snippets.Matcher> matchers = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            matchers.add(matcher(i, exact.get(i)));
        }
        Set<MentionContext> allowed =
                request.allContexts() ? EnumSet.allOf(MentionContext.class) : EnumSet.of(MentionContext.AFFIRMED);
        StoredFields stored = searcher.storedFields();
        List<SearchResults.Hit> hits = new ArrayList<>();
        for (List<Found> group : groups.subList(0, Math.min(groups.size(), request.count()))) {
            Document doc = stored.document(group.getFirst().doc());
            List<String> copies = new ArrayList<>();
            for (Found copy : group.subList(1, group.size())) {
                copies.add(stored.document(copy.doc(), Set.of(KEY)).get(KEY));
            }
            hits.add(hit(doc, matchers, allowed, copies));
        }
        List<SearchResults.TermInfo> infos = new ArrayList<>();
        List<SearchResults.Timeline> timelines = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            infos.add(new SearchResults.TermInfo(terms.get(i).shown(), "t" + (i + 1)));
            Query one = new BooleanQuery.Builder()
                    .add(exact.get(i), Occur.MUST)
                    .add(filter, Occur.FILTER)
                    .build();
            boolean alone = terms.size() == 1 && query.excluded().isEmpty();
            timelines.add(timeline(terms.get(i).shown(), alone ? found : collect(searcher, one, false)));
        }
        return new SearchResults(
                found.size(), groups.size(), approximate, infos, hits, facets(found), timelines, List.of());
    }

    private static List<List<Found>> singletons(List<Found> ranked) {
        List<List<Found>> groups = new ArrayList<>(ranked.size());
        for (Found f : ranked) {
            groups.add(List.of(f));
        }
        return groups;
    }

    private double prior(Found f, long now) {
        double prior = kindPriors.getOrDefault(f.kind(), 1.0);
        if (f.date() != Long.MIN_VALUE && recencyWeight > 0) {
            double ageDays = Math.max(0, (now - f.date()) / 86_400_000.0);
            prior *= 1 + recencyWeight * Math.exp(-ageDays / halfLifeDays);
        }
        return prior;
    }

    private static boolean fuzzyable(ClinicalQuery.Term term) {
        return !term.phrase()
                && !term.prefix()
                && ClinicalAnalysis.normalise(term.text()).length() >= 6;
    }

    private static Query main(ClinicalQuery query, List<Query> termQueries, Query filter) {
        BooleanQuery.Builder main = new BooleanQuery.Builder();
        int at = 0;
        for (List<ClinicalQuery.Term> group : query.groups()) {
            if (group.size() == 1) {
                main.add(termQueries.get(at++), Occur.MUST);
            } else {
                BooleanQuery.Builder any = new BooleanQuery.Builder();
                for (int i = 0; i < group.size(); i++) {
                    any.add(termQueries.get(at++), Occur.SHOULD);
                }
                any.setMinimumNumberShouldMatch(1);
                main.add(any.build(), Occur.MUST);
            }
        }
        for (ClinicalQuery.Term term : query.excluded()) {
            main.add(termQuery(term, TEXT, false), Occur.MUST_NOT);
        }
        if (query.groups().isEmpty()) {
            main.add(new MatchAllDocsQuery(), Occur.MUST);
        }
        main.add(filter, Occur.FILTER);
        return main.build();
    }

    /** One typed term as a query on {@code field}, through the clinical query chain (synonyms, abbreviations). */
    static Query termQuery(ClinicalQuery.Term term, String field, boolean fuzzy) {
        if (term.prefix()) {
            return new PrefixQuery(new Term(field, ClinicalAnalysis.normalise(term.text())));
        }
        QueryBuilder builder = new QueryBuilder(QUERY_ANALYZER);
        builder.setAutoGenerateMultiTermSynonymsPhraseQuery(true);
        Query query = term.phrase()
                ? builder.createPhraseQuery(field, term.text())
                : builder.createBooleanQuery(field, term.text(), Occur.MUST);
        if (query == null) {
            throw new SearchSyntaxException("« " + term.text() + " » ne contient aucun mot cherchable");
        }
        if (fuzzy && fuzzyable(term)) {
            Query exactQuery = query;
            List<String> tokens = tokens(INDEX_ANALYZER, field, term.text());
            if (tokens.size() == 1) {
                query = new BooleanQuery.Builder()
                        .add(exactQuery, Occur.SHOULD)
                        .add(new FuzzyQuery(new Term(field, tokens.getFirst()), 1, 1), Occur.SHOULD)
                        .setMinimumNumberShouldMatch(1)
                        .build();
            }
        }
        return query;
    }

    static List<String> tokens(Analyzer analyzer, String field, String text) {
        List<String> tokens = new ArrayList<>();
        try (org.apache.lucene.analysis.TokenStream stream = analyzer.tokenStream(field, text)) {
            org.apache.lucene.analysis.tokenattributes.CharTermAttribute term =
                    stream.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tokens.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tokens;
    }

    /** What marks term {@code index}'s matches in snippets: the index tokens and automata its query looks for. */
    private static Snippets.Matcher matcher(int index, Query query) {
        Set<String> tokens = new java.util.HashSet<>();
        List<ByteRunAutomaton> automata = new ArrayList<>();
        List<List<Set<String>>> phrases = new ArrayList<>();
        Set<Query> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        query.visit(new QueryVisitor() {
            @Override
            public void consumeTerms(Query q, Term... terms) {
                if (q instanceof org.apache.lucene.search.PhraseQuery phrase && phrase.getTerms().length > 1) {
                    if (seen.add(q)) {
                        phrases.add(java.util.Arrays.stream(phrase.getTerms())
                                .map(t -> Set.of(t.text()))
                                .toList());
                    }
                } else if (q instanceof org.apache.lucene.search.MultiPhraseQuery multi
                        && multi.getTermArrays().length > 1) {
                    if (seen.add(q)) {
                        phrases.add(java.util.Arrays.stream(multi.getTermArrays())
                                .map(ts -> java.util.Arrays.stream(ts)
                                        .map(Term::text)
                                        .collect(java.util.stream.Collectors.toUnmodifiableSet()))
                                .toList());
                    }
                } else {
                    for (Term t : terms) {
                        tokens.add(t.text());
                    }
                }
            }

            @Override
            public void consumeTermsMatching(Query q, String field, Supplier<ByteRunAutomaton> automaton) {
                automata.add(automaton.get());
            }

            @Override
            public QueryVisitor getSubVisitor(Occur occur, Query parent) {
                return occur == Occur.MUST_NOT ? QueryVisitor.EMPTY_VISITOR : this;
            }
        });
        return new Snippets.Matcher(index, Set.copyOf(tokens), List.copyOf(automata), List.copyOf(phrases));
    }

    /** The patient, the caller's view, the statuses shown, and the field filters and bounds of the request. */
    private static Query filter(String patientId, ClinicalQuery query, Visibility visibility) {
        return filter(patientId, query, null, visibility);
    }

    private static Query filter(
            String patientId, ClinicalQuery query, @Nullable SearchRequest request, Visibility visibility) {
        BooleanQuery.Builder filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(PATIENT, patientId)), Occur.FILTER)
                .add(VisibilityQuery.of(visibility, patientId), Occur.FILTER);
        LocalDate since = request == null ? null : request.since();
        LocalDate until = request == null ? null : request.until();
        boolean allStatuses = false;
        for (ClinicalQuery.Filter f : query.filters()) {
            switch (f.field()) {
                case "depuis" -> since = later(since, f.from());
                case "jusqua" -> until = earlier(until, f.to());
                case "type" -> filter.add(words(WHAT, f.value()), Occur.FILTER);
                case "auteur", "profession" -> filter.add(words(WHO, f.value()), Occur.FILTER);
                case "lieu" -> filter.add(words(WHERE, f.value()), Occur.FILTER);
                case "statut" -> allStatuses = f.value().equalsIgnoreCase("tous");
                default -> throw new SearchSyntaxException("filtre inconnu " + f.field());
            }
        }
        if (!allStatuses) {
            filter.add(
                    new TermInSetQuery(
                            STATUS, HIDDEN_STATUSES.stream().map(BytesRef::new).toList()),
                    Occur.MUST_NOT);
        }
        if (since != null || until != null) {
            long from = since == null
                    ? Long.MIN_VALUE + 1
                    : since.atStartOfDay(PARIS).toInstant().toEpochMilli();
            long to = until == null
                    ? Long.MAX_VALUE
                    : until.plusDays(1).atStartOfDay(PARIS).toInstant().toEpochMilli() - 1;
            filter.add(LongPoint.newRangeQuery(DATE, from, to), Occur.FILTER);
        }
        if (request != null) {
            exactly(filter, KIND, request.kinds());
            exactly(filter, PROFESSION, request.professions());
            exactly(filter, FACILITY, request.facilities());
        }
        return new ConstantScoreQuery(filter.build());
    }

    private static @Nullable LocalDate later(@Nullable LocalDate a, @Nullable LocalDate b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static @Nullable LocalDate earlier(@Nullable LocalDate a, @Nullable LocalDate b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static void exactly(BooleanQuery.Builder filter, String field, List<String> values) {
        if (!values.isEmpty()) {
            filter.add(
                    new TermInSetQuery(field, values.stream().map(BytesRef::new).toList()), Occur.FILTER);
        }
    }

    private static Query words(String field, String value) {
        Query words = new QueryBuilder(INDEX_ANALYZER).createBooleanQuery(field, value, Occur.MUST);
        if (words == null) {
            throw new SearchSyntaxException("filtre sans mot cherchable : « " + value + " »");
        }
        return words;
    }

    private SearchResults.Hit hit(
            Document doc, List<Snippets.Matcher> matchers, Set<MentionContext> allowed, List<String> copies) {
        String text = doc.get(TEXT);
        String fact = doc.get(FACT);
        List<ContextSpan> spans = fact != null
                ? List.of(new ContextSpan(0, text.length(), MentionContext.valueOf(fact)))
                : ContextDetector.spans(text);
        Snippets.Result snippets = Snippets.of(text, spans, matchers, allowed, 2);
        Long date = doc.getField(DATE) == null
                ? null
                : doc.getField(DATE).numericValue().longValue();
        return new SearchResults.Hit(
                doc.get(KEY),
                doc.get(RESOURCE_TYPE),
                doc.get(UNIQUE_ID),
                doc.get(TITLE),
                doc.get(KIND),
                date == null ? null : day(date),
                doc.get(AUTHOR),
                doc.get(PROFESSION),
                doc.get(FACILITY),
                doc.get(STATUS),
                Snippets.label(snippets.context()),
                snippets.passages(),
                List.copyOf(copies));
    }

    static String day(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atZone(PARIS).toLocalDate().toString();
    }

    private static Map<String, List<SearchResults.FacetValue>> facets(List<Found> found) {
        Map<String, Long> kinds = new HashMap<>();
        Map<String, Long> years = new HashMap<>();
        Map<String, Long> professions = new HashMap<>();
        Map<String, Long> facilities = new HashMap<>();
        for (Found f : found) {
            count(kinds, f.kind());
            count(professions, f.profession());
            count(facilities, f.facility());
            if (f.date() != Long.MIN_VALUE) {
                count(years, day(f.date()).substring(0, 4));
            }
        }
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("type", kinds);
        counts.put("annee", years);
        counts.put("profession", professions);
        counts.put("lieu", facilities);
        Map<String, List<SearchResults.FacetValue>> facets = new LinkedHashMap<>();
        counts.forEach((facet, values) -> facets.put(
                facet,
                values.entrySet().stream()
                        .map(e -> new SearchResults.FacetValue(e.getKey(), e.getValue()))
                        .sorted(
                                facet.equals("annee")
                                        ? java.util.Comparator.comparing(SearchResults.FacetValue::value)
                                                .reversed()
                                        : java.util.Comparator.comparingLong(SearchResults.FacetValue::count)
                                                .reversed()
                                                .thenComparing(SearchResults.FacetValue::value))
                        .toList()));
        return facets;
    }

    private static void count(Map<String, Long> counts, String value) {
        if (!value.isEmpty()) {
            counts.merge(value, 1L, Long::sum);
        }
    }

    private static SearchResults.Timeline timeline(String term, List<Found> found) {
        Map<String, Long> perYear = new TreeMap<>();
        Map<String, Long> perMonth = new TreeMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Found f : found) {
            if (f.date() == Long.MIN_VALUE) {
                continue;
            }
            String day = day(f.date());
            perYear.merge(day.substring(0, 4), 1L, Long::sum);
            perMonth.merge(day.substring(0, 7), 1L, Long::sum);
            first = Math.min(first, f.date());
            last = Math.max(last, f.date());
        }
        return new SearchResults.Timeline(
                term,
                found.size(),
                first == Long.MAX_VALUE ? null : day(first),
                last == Long.MIN_VALUE ? null : day(last),
                perYear,
                perMonth);
    }

    /** Every entry matching {@code query}, with its score and what ranking, facets and collapse read. */
    private static List<Found> collect(IndexSearcher searcher, Query query) throws IOException {
        return collect(searcher, query, true);
    }

    private static List<Found> collect(IndexSearcher searcher, Query query, boolean scores) throws IOException {
        return searcher.search(query, new CollectorManager<AllCollector, List<Found>>() {
            @Override
            public AllCollector newCollector() {
                return new AllCollector(scores);
            }

            @Override
            public List<Found> reduce(Collection<AllCollector> collectors) {
                return collectors.stream().flatMap(c -> c.found.stream()).toList();
            }
        });
    }

    private static final class AllCollector implements Collector {
        final List<Found> found = new ArrayList<>();
        private final boolean scores;

        AllCollector(boolean scores) {
            this.scores = scores;
        }

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
            int base = context.docBase;
            NumericDocValues dates = DocValues.getNumeric(context.reader(), DATE);
            NumericDocValues fps = DocValues.getNumeric(context.reader(), FINGERPRINT);
            SortedDocValues kinds = DocValues.getSorted(context.reader(), KIND);
            SortedDocValues professions = DocValues.getSorted(context.reader(), PROFESSION);
            SortedDocValues facilities = DocValues.getSorted(context.reader(), FACILITY);
            @Nullable String[] kindNames = new String[kinds.getValueCount()];
            @Nullable String[] professionNames = new String[professions.getValueCount()];
            @Nullable String[] facilityNames = new String[facilities.getValueCount()];
            return new LeafCollector() {
                private @Nullable Scorable scorer;

                @Override
                public void setScorer(Scorable scorer) {
                    this.scorer = scorer;
                }

                @Override
                public void collect(int doc) throws IOException {
                    float score = scores && scorer != null ? scorer.score() : 0f;
                    long date = dates.advanceExact(doc) ? dates.longValue() : Long.MIN_VALUE;
                    long fp = fps.advanceExact(doc) ? fps.longValue() : 0L;
                    found.add(new Found(
                            base + doc,
                            score,
                            date,
                            value(kinds, kindNames, doc),
                            value(professions, professionNames, doc),
                            value(facilities, facilityNames, doc),
                            fp));
                }
            };
        }

        /** The value of a doc, each distinct value of the segment decoded once. */
        private static String value(SortedDocValues values, @Nullable String[] names, int doc) throws IOException {
            if (!values.advanceExact(doc)) {
                return "";
            }
            int ord = values.ordValue();
            String name = names[ord];
            if (name == null) {
                name = values.lookupOrd(ord).utf8ToString();
                names[ord] = name;
            }
            return name;
        }

        @Override
        public ScoreMode scoreMode() {
            return scores ? ScoreMode.COMPLETE : ScoreMode.COMPLETE_NO_SCORES;
        }
    }

    @Override
    public List<String> matchingIds(
            String patientId, String type, ClinicalQuery query, Visibility visibility, int max) {
        List<ClinicalQuery.Filter> filters = new ArrayList<>(query.filters());
        filters.add(new ClinicalQuery.Filter("statut", "tous", null, null)); // FHIR has its own status parameter
        ClinicalQuery anyStatus = new ClinicalQuery(query.groups(), query.excluded(), filters);
        List<Query> terms = new ArrayList<>();
        for (ClinicalQuery.Term term : query.terms()) {
            terms.add(termQuery(term, TEXT, false));
        }
        Query filter = new BooleanQuery.Builder()
                .add(filter(patientId, anyStatus, visibility), Occur.FILTER)
                .add(new TermQuery(new Term(RESOURCE_TYPE, type)), Occur.FILTER)
                .build();
        return read(searcher -> {
            StoredFields stored = searcher.storedFields();
            List<String> ids = new ArrayList<>();
            for (Found f : collect(searcher, main(query, terms, filter))) {
                if (ids.size() == max) {
                    break;
                }
                String key = stored.document(f.doc(), Set.of(KEY)).get(KEY);
                ids.add(key.substring(key.indexOf('/') + 1));
            }
            return ids;
        });
    }

    @Override
    public List<SearchResults.Hit> evidence(
            String patientId, List<String> words, List<LocalDate[]> days, Visibility visibility, int max) {
        BooleanQuery.Builder anyWord = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        List<Snippets.Matcher> matchers = new ArrayList<>();
        for (String word : words) {
            Query one = termQuery(new ClinicalQuery.Term(word, false, false), TEXT, false);
            anyWord.add(one, Occur.SHOULD);
            matchers.add(matcher(0, one));
        }
        BooleanQuery.Builder anyDay = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        for (LocalDate[] range : days) {
            anyDay.add(
                    LongPoint.newRangeQuery(
                            DATE,
                            range[0].atStartOfDay(PARIS).toInstant().toEpochMilli(),
                            range[1].plusDays(1).atStartOfDay(PARIS).toInstant().toEpochMilli() - 1),
                    Occur.SHOULD);
        }
        Query query = new BooleanQuery.Builder()
                .add(anyWord.build(), Occur.FILTER)
                .add(anyDay.build(), Occur.FILTER)
                .add(new TermQuery(new Term(RESOURCE_TYPE, "DocumentReference")), Occur.FILTER)
                .add(filter(patientId, new ClinicalQuery(List.of(), List.of(), List.of()), visibility), Occur.FILTER)
                .build();
        return read(searcher -> {
            List<Found> found = new ArrayList<>(collect(searcher, query, false));
            found.sort(java.util.Comparator.comparingLong(Found::date).reversed());
            StoredFields stored = searcher.storedFields();
            List<SearchResults.Hit> hits = new ArrayList<>();
            for (Found f : found.subList(0, Math.min(max, found.size()))) {
                SearchResults.Hit hit =
                        hit(stored.document(f.doc()), matchers, EnumSet.allOf(MentionContext.class), List.of());
                hits.add(new SearchResults.Hit(
                        hit.reference(),
                        hit.type(),
                        hit.uniqueId(),
                        hit.title(),
                        hit.kind(),
                        hit.date(),
                        hit.author(),
                        hit.profession(),
                        hit.facility(),
                        hit.status(),
                        "derived-signal",
                        hit.snippets(),
                        hit.copies()));
            }
            return hits;
        });
    }

    // ---------------------------------------------------------------- measures

    @Override
    public List<SearchResults.Value> measures(String patientId, Collection<String> codes, Visibility visibility) {
        Query query = new BooleanQuery.Builder()
                .add(
                        new TermInSetQuery(
                                MEASURE_CODE, codes.stream().map(BytesRef::new).toList()),
                        Occur.FILTER)
                .add(new TermQuery(new Term(PATIENT, patientId)), Occur.FILTER)
                .add(VisibilityQuery.of(visibility, patientId), Occur.FILTER)
                .add(
                        new TermInSetQuery(
                                STATUS,
                                Stream.of("entered-in-error", "cancelled")
                                        .map(BytesRef::new)
                                        .toList()),
                        Occur.MUST_NOT)
                .build();
        return read(searcher -> {
            StoredFields stored = searcher.storedFields();
            List<SearchResults.Value> values = new ArrayList<>();
            for (Found f : collect(searcher, query)) {
                if (f.date() == Long.MIN_VALUE) {
                    continue;
                }
                Document doc = stored.document(f.doc(), Set.of(KEY, MEASURE_VALUE, MEASURE_UNIT));
                values.add(new SearchResults.Value(
                        doc.get(KEY),
                        day(f.date()),
                        doc.getField(MEASURE_VALUE).numericValue().doubleValue(),
                        doc.get(MEASURE_UNIT)));
            }
            values.sort(java.util.Comparator.comparing(SearchResults.Value::date));
            return values;
        });
    }
}
