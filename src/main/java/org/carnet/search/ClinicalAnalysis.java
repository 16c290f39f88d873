package org.carnet.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.text.ParseException;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.KeywordMarkerFilter;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The French clinical analysis of the search module. One chain for the index and the query:
 *
 * <ol>
 *   <li>{@link ClinicalTokenizer}: words, with clinical codes kept whole ({@code I10}, {@code E11.9}, {@code B01AF02},
 *       {@code 29463-7});
 *   <li>{@link ElisionFilter}: {@code l'}, {@code d'}, {@code qu'}, {@code jusqu'}, … with either apostrophe, the start
 *       offset moved past them;
 *   <li>{@link DottedAcronymFilter}: « H.T.A. » as « HTA »;
 *   <li>lower case, then ASCII folding (« HÉMOGLOBINE », « hémoglobine », « hemoglobine » are one word; « œ » is
 *       « oe »);
 *   <li>light French stemming ({@link FrenchLightStemFilter}: « chutes » as « chute »), except for codes (any token
 *       with a digit) and the negation cues ({@link #NEGATION_CUES}), which stay verbatim.
 * </ol>
 *
 * <p>No stop word is removed: the negation cues (« pas », « sans », « ne », « non », « ni », « aucun ») must stay for
 * the mention's context, and the small words of a phrase (« retrouvée <em>au</em> sol », « diabète <em>de</em> type
 * 2 ») keep their positions, so a phrase query means what it says. BM25 already gives such frequent words little
 * weight; the cost is a slightly larger index, small for one patient's record.
 *
 * <p>The index chain adds the CIM-10 category to a sub-category code ({@link CodeCategoryFilter}); the query chain adds
 * the medical synonyms and abbreviations of {@code search/synonymes-medicaux.txt} as a token graph
 * ({@link SynonymGraphFilter}), after stemming, so that « insuffisances cardiaques » meets the line « insuffisance
 * cardiaque » of the file. The file is parsed once, by the index chain without the category step.
 *
 * <p>Each call returns a new analyzer (sharing the parsed synonyms), which the caller closes. Analyzers are safe for
 * concurrent use.
 */
final class ClinicalAnalysis {

    static final String SYNONYMS = "/search/synonymes-medicaux.txt";

    /** Negation cues never stemmed (« sans » would become « san », « jamais » « jamai »). */
    static final CharArraySet NEGATION_CUES = CharArraySet.unmodifiableSet(new CharArraySet(
            List.of("ne", "pas", "sans", "non", "ni", "aucun", "aucune", "jamais", "rien", "nullement"), false));

    private ClinicalAnalysis() {}

    /** For indexing text fields: no synonyms (they are expanded at query time), offsets exact for highlighting. */
    static Analyzer index() {
        return new Chain(Step.INDEX);
    }

    /**
     * For parsing a clinician's query terms: the same chain plus the medical synonyms and abbreviations
     * (SynonymGraphFilter), multi-word synonyms as graphs.
     */
    static Analyzer query() {
        return new Chain(Step.QUERY);
    }

    /**
     * Lower-case, accent-folded, elision-stripped form of one word, as the index chain would produce before stemming
     * (for the query parser's prefix and fuzzy terms).
     */
    static String normalise(String word) {
        return Normaliser.ANALYZER
                .normalize("", Normalizer.normalize(word, Normalizer.Form.NFC))
                .utf8ToString();
    }

    /**
     * Whether these words, taken together, are an entry of the synonym file: a multi-word expression such as
     * « insuffisance rénale » or « perte de poids », which a query then searches as one term with its synonyms rather
     * than word by word.
     */
    static boolean isExpression(String words) {
        java.util.List<String> tokens = new java.util.ArrayList<>();
        try (org.apache.lucene.analysis.TokenStream stream = Normaliser.ANALYZER.tokenStream("", words)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tokens.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tokens.size() < 2) {
            return false;
        }
        String joined = String.join(String.valueOf(SynonymMap.WORD_SEPARATOR), tokens);
        org.apache.lucene.util.fst.FST<org.apache.lucene.util.BytesRef> fst = synonyms().fst;
        try {
            return fst != null
                    && org.apache.lucene.util.fst.Util.get(
                                    fst,
                                    org.apache.lucene.util.fst.Util.toUTF32(
                                            joined, new org.apache.lucene.util.IntsRefBuilder()))
                            != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The synonyms, parsed on first use. */
    static SynonymMap synonyms() {
        return Synonyms.MAP;
    }

    /** What follows the shared chain. */
    private enum Step {
        INDEX,
        QUERY,
        NONE
    }

    private static final class Chain extends Analyzer {

        private final Step last;

        Chain(Step last) {
            this.last = last;
        }

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = new ClinicalTokenizer();
            TokenStream stream = normalised(source);
            stream = new FrenchLightStemFilter(new CodeAndNegationMarker(stream));
            stream = switch (last) {
                case INDEX -> new CodeCategoryFilter(stream);
                case QUERY -> new SynonymGraphFilter(stream, synonyms(), false);
                case NONE -> stream;
            };
            return new TokenStreamComponents(source, stream);
        }

        @Override
        protected TokenStream normalize(String fieldName, TokenStream in) {
            return normalised(in);
        }

        private static TokenStream normalised(TokenStream in) {
            return new ASCIIFoldingFilter(new LowerCaseFilter(new DottedAcronymFilter(new ElisionFilter(in))));
        }
    }

    private static final class CodeAndNegationMarker extends KeywordMarkerFilter {

        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

        CodeAndNegationMarker(TokenStream in) {
            super(in);
        }

        @Override
        protected boolean isKeyword() {
            char[] chars = term.buffer();
            int length = term.length();
            for (int i = 0; i < length; i++) {
                if (chars[i] >= '0' && chars[i] <= '9') {
                    return true;
                }
            }
            return NEGATION_CUES.contains(chars, 0, length);
        }
    }

    /** Shared for the application's life, never closed: normalisation is called for every prefix or fuzzy term. */
    private static final class Normaliser {

        static final Analyzer ANALYZER = new Chain(Step.NONE);
    }

    private static final class Synonyms {

        static final SynonymMap MAP = load();

        private static SynonymMap load() {
            try (InputStream in = ClinicalAnalysis.class.getResourceAsStream(SYNONYMS);
                    Analyzer analyzer = new Chain(Step.NONE)) {
                if (in == null) {
                    throw new IllegalStateException(SYNONYMS + " is missing from the class path");
                }
                SolrSynonymParser parser = new SolrSynonymParser(true, true, analyzer);
                try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    parser.parse(reader);
                }
                return parser.build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ParseException e) {
                throw new IllegalStateException(SYNONYMS + ", line " + e.getErrorOffset() + ": " + e.getMessage(), e);
            }
        }
    }
}
