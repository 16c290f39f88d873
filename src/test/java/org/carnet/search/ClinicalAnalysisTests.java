package org.carnet.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionLengthAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.QueryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClinicalAnalysisTests {

    private static final String TEXT = "text";

    /** Short French texts, one concept each, by id. */
    private static final Map<String, String> DOCUMENTS = new LinkedHashMap<>();

    static {
        DOCUMENTS.put("hta-line", "Hypertension artérielle essentielle (CIM-10 I10)");
        DOCUMENTS.put("hta-dots", "Antécédents : H.T.A. traitée, tabac sevré.");
        DOCUMENTS.put("hta-elision", "Surveillance de l’hypertension à domicile.");
        DOCUMENTS.put("acfa", "ACFA découverte en 2019, bien tolérée.");
        DOCUMENTS.put("fa-line", "Fibrillation auriculaire permanente (CIM-10 I48.0)");
        DOCUMENTS.put("irc", "IRC stade 3b, suivi néphrologique.");
        DOCUMENTS.put("irc-long", "Insuffisance rénale chronique modérée.");
        DOCUMENTS.put("bpco", "Bronchopneumopathie chronique obstructive, ancien fumeur.");
        DOCUMENTS.put("avc", "AVC sylvien gauche en 2021.");
        DOCUMENTS.put("avc-long", "Séquelles d'accident vasculaire cérébral.");
        DOCUMENTS.put("avc-code", "Infarctus cérébral (CIM-10 I63.9)");
        DOCUMENTS.put("ait", "Bilan d'un accident ischémique transitoire.");
        DOCUMENTS.put("ait-abbr", "AIT en 2017 sans séquelle.");
        DOCUMENTS.put("ait-verb", "Bien qu'il ait bon appétit, il maigrit.");
        DOCUMENTS.put("avk", "Sous A.V.K. depuis 2015, INR cible 2-3.");
        DOCUMENTS.put("warfarine", "Warfarine 5 mg le soir (ATC B01AA03)");
        DOCUMENTS.put("fluindione", "Previscan 20 mg, trois quarts le soir.");
        DOCUMENTS.put("acenocoumarol", "Acénocoumarol arrêté.");
        DOCUMENTS.put("apixaban", "Apixaban 5 mg (ATC B01AF02)");
        DOCUMENTS.put("rivaroxaban", "Xarelto 20 mg une fois par jour.");
        DOCUMENTS.put("dabigatran", "Dabigatran 110 mg deux fois par jour.");
        DOCUMENTS.put("edoxaban", "Edoxaban 60 mg.");
        DOCUMENTS.put("aod", "Relais par un anticoagulant oral direct.");
        DOCUMENTS.put("naco", "NACO introduit par le cardiologue.");
        DOCUMENTS.put("heparine", "Héparine à la seringue électrique.");
        DOCUMENTS.put("enoxaparine", "Lovenox 4000 UI sous-cutané.");
        DOCUMENTS.put("idm", "IDM antérieur en 2010, stenté.");
        DOCUMENTS.put("idm-long", "Infarctus du myocarde inférieur.");
        DOCUMENTS.put("dt2", "DT2 équilibré.");
        DOCUMENTS.put("dt2-line", "Diabète de type 2 non insulinorequérant (CIM-10 E11.9)");
        DOCUMENTS.put("metformine", "Metformine 1000 mg matin et soir (ATC A10BA02)");
        DOCUMENTS.put("icc", "ICC à fraction d'éjection préservée.");
        DOCUMENTS.put("ic-long", "Insuffisance cardiaque décompensée.");
        DOCUMENTS.put("chute-sol", "Retrouvée au sol par l'aide à domicile ce matin.");
        DOCUMENTS.put("chute-sol-m", "Patient retrouvé au sol dans sa chambre.");
        DOCUMENTS.put("chutes", "Chutes répétées à domicile.");
        DOCUMENTS.put("chute-code", "Chutes à répétition (CIM-10 R29.6)");
        DOCUMENTS.put("amaigrissement", "Amaigrissement de 5 kg en 6 mois.");
        DOCUMENTS.put("perte-poids", "Perte de poids involontaire.");
        DOCUMENTS.put("denutrition", "Dénutrition protéino-énergétique grave (CIM-10 E43)");
        DOCUMENTS.put("poids-line", "Poids 61,5 kg (LOINC 29463-7)");
        DOCUMENTS.put("confuse", "Patiente confuse la nuit.");
        DOCUMENTS.put("desorientee", "Désorientée dans le temps.");
        DOCUMENTS.put("confusionnel", "Syndrome confusionnel aigu sur globe vésical.");
        DOCUMENTS.put("escarre", "Escarre sacrée de stade 2.");
        DOCUMENTS.put("ulcere-pression", "Ulcère de pression talonnier droit.");
        DOCUMENTS.put("incontinence", "Incontinence urinaire d'effort.");
        DOCUMENTS.put("fuites", "Fuites urinaires nocturnes.");
        DOCUMENTS.put("anemie", "Anémie (CIM-10 D64.9)");
        DOCUMENTS.put("anemique", "Patiente anémique, asthénique.");
        DOCUMENTS.put("hb-line", "Hémoglobine 10,2 g/dL (LOINC 718-7)");
        DOCUMENTS.put("hba1c", "HÉMOGLOBINE GLYQUÉE à 7,2 % (LOINC 4548-4)");
        DOCUMENTS.put("dfg", "DFG 38 mL/min/1,73 m² (LOINC 62238-1)");
        DOCUMENTS.put("creatinine", "Créatinine 132 µmol/L (LOINC 2160-0)");
        DOCUMENTS.put("cognitif", "Troubles cognitifs rapportés par la fille.");
        DOCUMENTS.put("declin", "Déclin cognitif depuis deux ans.");
        DOCUMENTS.put("alzheimer", "Maladie d'Alzheimer diagnostiquée en 2018.");
        DOCUMENTS.put("ma-word", "Ma fille vient me voir le dimanche.");
        DOCUMENTS.put("ep", "EP bilatérale en 2020.");
        DOCUMENTS.put("ep-long", "Embolie pulmonaire segmentaire.");
        DOCUMENTS.put("ep-pleural", "Épanchement pleural droit de faible abondance.");
        DOCUMENTS.put("tvp", "TVP surale gauche.");
        DOCUMENTS.put("tvp-long", "Thrombose veineuse profonde fémorale.");
        DOCUMENTS.put("aspirine", "Kardégic 75 mg le midi.");
        DOCUMENTS.put("clopidogrel", "Clopidogrel 75 mg.");
        DOCUMENTS.put("statine", "Atorvastatine 20 mg.");
        DOCUMENTS.put("furosemide", "Furosémide 40 mg le matin.");
        DOCUMENTS.put("insuline", "Lantus 14 UI le soir.");
        DOCUMENTS.put("fracture", "Fracture du poignet gauche.");
        DOCUMENTS.put("negation", "Pas de fièvre, sans douleur thoracique. Non fumeur, ni alcool. Aucun déficit.");
    }

    private static Directory directory;
    private static DirectoryReader reader;
    private static IndexSearcher searcher;
    private static Analyzer index;
    private static Analyzer query;

    @BeforeAll
    static void indexDocuments() throws IOException {
        index = ClinicalAnalysis.index();
        query = ClinicalAnalysis.query();
        directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(index))) {
            for (Map.Entry<String, String> document : DOCUMENTS.entrySet()) {
                Document doc = new Document();
                doc.add(new StringField("id", document.getKey(), Field.Store.YES));
                doc.add(new TextField(TEXT, document.getValue(), Field.Store.YES));
                writer.addDocument(doc);
            }
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
    }

    @AfterAll
    static void close() throws IOException {
        reader.close();
        directory.close();
        index.close();
        query.close();
    }

    // ----- the chain

    @Test
    void elisionIsStrippedWithEitherApostrophe() {
        assertThat(search("hypertension")).contains("hta-elision");
        assertThat(indexTerms("l'hypertension d’HTA qu'il jusqu’à lorsqu'on puisqu'elle aujourd'hui"))
                .containsExactly("hypertension", "hta", "il", "a", "on", "elle", "aujourd'hui");
    }

    @Test
    void accentsAndCaseAreFolded() {
        assertThat(search("hemoglobine")).contains("hb-line", "hba1c");
        assertThat(search("HÉMOGLOBINE")).contains("hb-line", "hba1c");
        assertThat(search("hémoglobine glyquée")).contains("hba1c");
        assertThat(indexTerms("HÉMOGLOBINE")).isEqualTo(indexTerms("hemoglobine"));
        assertThat(indexTerms("cœur")).isEqualTo(indexTerms("coeur"));
        // decomposed text (a combining acute accent) folds as the composed form does
        assertThat(indexTerms("he\u0301moglobine")).isEqualTo(indexTerms("hémoglobine"));
    }

    @Test
    void pluralsStemToTheSingular() {
        assertThat(indexTerms("chutes")).isEqualTo(indexTerms("chute"));
        assertThat(indexTerms("insuffisances cardiaques")).isEqualTo(indexTerms("insuffisance cardiaque"));
        // the light stemmer does not join « confuse » and « confus »: the synonym file does (findsTheFamily)
        assertThat(indexTerms("confuse")).containsExactly("confus");
        assertThat(indexTerms("confus")).containsExactly("confu");
        assertThat(search("fractures")).contains("fracture");
        assertThat(search("chute")).contains("chutes");
    }

    @Test
    void negationWordsStayVerbatim() {
        assertThat(indexTerms(
                        "Pas de fièvre, sans douleur. Ne tousse pas. Non fumeur, ni alcool. Aucun déficit, jamais."))
                .contains("pas", "sans", "ne", "non", "ni", "aucun", "jamais");
        assertThat(search("sans")).containsExactlyInAnyOrder("negation", "ait-abbr");
        assertThat(search("aucun")).containsExactly("negation");
    }

    @Test
    void articlesAreKeptSoPhrasesKeepTheirPositions() {
        assertThat(indexTerms("retrouvée au sol")).containsExactly("retrouv", "au", "sol");
    }

    @Test
    void dottedAbbreviationsMeetPlainOnes() {
        assertThat(indexTerms("H.T.A.")).containsExactly("hta");
        assertThat(indexTerms("A.V.K")).isEqualTo(indexTerms("avk"));
        assertThat(search("HTA")).contains("hta-dots", "hta-line");
        assertThat(search("H.T.A.")).contains("hta-dots", "hta-line");
        assertThat(search("avk")).contains("avk");
        assertThat(search("A.V.K.")).contains("avk", "warfarine");
    }

    @Test
    void codesStayWhole() {
        assertThat(indexTerms("CIM-10 I10 E11.9 I48.0 B01AF02 LOINC 29463-7 718-7 61,5 kg 5mg"))
                .containsExactly(
                        "cim", "10", "i10", "e11.9", "e11", "i48.0", "i48", "b01af02", "loinc", "29463-7", "718-7",
                        "61,5", "kg", "5mg");
        assertThat(search("I10")).contains("hta-line");
        // the code finds its label, « poids », wherever it is written
        assertThat(search("29463-7")).contains("poids-line", "perte-poids").doesNotContain("amaigrissement");
        assertThat(search("B01AF02")).containsExactly("apixaban");
        assertThat(search("E11.9")).containsExactly("dt2-line");
        assertThat(search("E11")).contains("dt2-line", "dt2");
        assertThat(search("718-7")).contains("hb-line");
    }

    @Test
    void offsetsPointIntoTheOriginalText() {
        String text = "Surveillance de l’hypertension : HÉMOGLOBINE à 10,2 g/dL, H.T.A. d'emblée, he\u0301moglobine.";
        List<String> spans = new ArrayList<>();
        try (TokenStream stream = index.tokenStream(TEXT, text)) {
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                spans.add(text.substring(offset.startOffset(), offset.endOffset()));
            }
            stream.end();
            assertThat(offset.endOffset()).isEqualTo(text.length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(spans)
                .containsExactly(
                        "Surveillance",
                        "de",
                        "hypertension",
                        "HÉMOGLOBINE",
                        "à",
                        "10,2",
                        "g",
                        "dL",
                        "H.T.A",
                        "emblée",
                        "he\u0301moglobine");
    }

    @Test
    void highlightsTheWordNotItsElidedArticle() throws IOException {
        Query hta = parse("HTA");
        TopDocs hits = searcher.search(hta, 10);
        UnifiedHighlighter highlighter =
                UnifiedHighlighter.builder(searcher, index).build();
        String[] fragments =
                highlighter.highlight(TEXT, parse("hypertension"), searcher.search(parse("hypertension"), 10));
        assertThat(fragments).contains("Surveillance de l’<b>hypertension</b> à domicile.");
        assertThat(highlighter.highlight(TEXT, hta, hits))
                .contains("Antécédents : <b>H.T.A</b>. traitée, tabac sevré.");
    }

    // ----- synonyms and abbreviations

    @ParameterizedTest(name = "« {0} » finds {1}")
    @CsvSource(delimiter = '|', textBlock = """
            HTA                                  | hta-line
            hypertension artérielle              | hta-dots
            FA                                   | fa-line
            ACFA                                 | fa-line
            fibrillation atriale                 | acfa
            fibrillation auriculaire             | acfa
            I48                                  | acfa
            IRC                                  | irc-long
            insuffisance rénale chronique        | irc
            N18                                  | irc
            BPCO                                 | bpco
            J44                                  | bpco
            AVC                                  | avc-long
            accident vasculaire cérébral         | avc
            I64                                  | avc
            AVC                                  | avc-code
            AIT                                  | ait
            antivitamine K                       | avk
            AVK                                  | avk
            anticoagulant oral direct            | naco
            AOD                                  | aod
            ACOD                                 | naco
            NACO                                 | aod
            IDM                                  | idm-long
            infarctus du myocarde                | idm
            I21                                  | idm
            DT2                                  | dt2-line
            diabète de type 2                    | dt2
            ICC                                  | ic-long
            IC                                   | ic-long
            insuffisance cardiaque               | icc
            chute                                | chute-sol
            chute                                | chute-sol-m
            chute                                | chute-code
            retrouvée au sol                     | chutes
            retrouvé au sol                      | chute-code
            W19                                  | chutes
            R29.6                                | chute-sol
            perte de poids                       | amaigrissement
            amaigrissement                       | perte-poids
            R63.4                                | amaigrissement
            dénutrition                          | amaigrissement
            perte de poids                       | denutrition
            E44                                  | denutrition
            confusion                            | confuse
            confusion                            | desorientee
            syndrome confusionnel                | confuse
            désorientation                       | confusionnel
            confus                               | confuse
            F05                                  | confusionnel
            escarre                              | ulcere-pression
            ulcère de décubitus                  | escarre
            L89                                  | escarre
            incontinence urinaire                | fuites
            fuites urinaires                     | incontinence
            incontinence                         | fuites
            anémie                               | anemique
            D64.9                                | anemique
            anémique                             | anemie
            troubles cognitifs                   | declin
            déclin cognitif                      | cognitif
            MA                                   | alzheimer
            G30                                  | alzheimer
            maladie d'Alzheimer                  | alzheimer
            EP                                   | ep-long
            embolie pulmonaire                   | ep
            TVP                                  | tvp-long
            thrombose veineuse profonde          | tvp
            poids                                | poids-line
            hémoglobine                          | hb-line
            clairance                            | dfg
            débit de filtration glomérulaire     | dfg
            créatininémie                        | creatinine
            HbA1c                                | hba1c
            4548-4                               | hba1c
            """)
    void findsTheFamily(String words, String expected) {
        assertThat(search(words)).contains(expected);
    }

    @ParameterizedTest(name = "class « {0} » finds {1}")
    @CsvSource(delimiter = '|', textBlock = """
            anticoagulant        | apixaban, rivaroxaban, dabigatran, edoxaban, warfarine, fluindione, acenocoumarol, heparine, enoxaparine, avk, aod, naco
            AVK                  | warfarine, fluindione, acenocoumarol
            antivitamine K       | warfarine, fluindione, acenocoumarol
            AOD                  | apixaban, rivaroxaban, dabigatran, edoxaban
            NACO                 | apixaban, rivaroxaban, dabigatran, edoxaban
            HBPM                 | enoxaparine
            antiagrégant         | aspirine, clopidogrel
            statine              | statine
            diurétique           | furosemide
            insuline             | insuline
            antidiabétique oral  | metformine
            """)
    void classFindsItsMembers(String words, String members) {
        assertThat(search(words)).contains(members.split(",\\s*"));
    }

    @Test
    void memberDoesNotFindItsClassOrItsSiblings() {
        assertThat(search("apixaban")).containsExactly("apixaban");
        assertThat(search("warfarine")).containsExactly("warfarine");
        assertThat(search("AVK")).doesNotContain("apixaban", "rivaroxaban", "enoxaparine");
        assertThat(search("AOD")).doesNotContain("warfarine", "fluindione", "heparine");
        assertThat(search("Eliquis")).containsExactly("apixaban");
    }

    @Test
    void abbreviationsThatAreFrenchWordsAreOneWay() {
        assertThat(search("maladie d'Alzheimer")).doesNotContain("ma-word");
        assertThat(search("accident ischémique transitoire")).contains("ait").doesNotContain("ait-verb", "ait-abbr");
        assertThat(search("AIT")).contains("ait", "ait-abbr");
    }

    @Test
    void ambiguousAbbreviationFindsEachOfItsSenses() {
        assertThat(search("EP")).contains("ep", "ep-long", "ep-pleural");
        assertThat(search("embolie pulmonaire")).contains("ep", "ep-long").doesNotContain("ep-pleural");
        assertThat(search("épanchement pleural")).contains("ep", "ep-pleural").doesNotContain("ep-long");
    }

    @Test
    void multiWordSynonymsAreGraphs() throws IOException {
        try (TokenStream stream = query.tokenStream(TEXT, "AVC")) {
            PositionLengthAttribute length = stream.addAttribute(PositionLengthAttribute.class);
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            Map<String, Integer> lengths = new LinkedHashMap<>();
            stream.reset();
            while (stream.incrementToken()) {
                lengths.put(term.toString(), length.getPositionLength());
            }
            stream.end();
            assertThat(lengths)
                    .containsEntry("avc", 3)
                    .containsEntry("acident", 1) // the light stemmer folds the double c
                    .containsEntry("i63", 3);
        }
        assertThat(search("AVC")).contains("avc-long").doesNotContain("ait");
        assertThat(search("accident vasculaire cérébral")).contains("avc", "avc-long");
        assertThat(search("chute")).contains("chute-sol").doesNotContain("ait-verb");
    }

    // ----- the resource and normalise

    @Test
    void synonymResourceParsesAndHasAtLeast150Lines() throws IOException {
        assertThat(ClinicalAnalysis.synonyms().fst).isNotNull();
        try (InputStream in = ClinicalAnalysis.class.getResourceAsStream(ClinicalAnalysis.SYNONYMS)) {
            assertThat(in).isNotNull();
            long rules = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .count();
            System.out.printf(Locale.ROOT, "synonymes-medicaux.txt: %d rules%n", rules);
            assertThat(rules).isGreaterThanOrEqualTo(150);
        }
    }

    @Test
    void normaliseFoldsAWordWithoutStemmingIt() {
        assertThat(ClinicalAnalysis.normalise("L'HÉMOGLOBINE")).isEqualTo("hemoglobine");
        assertThat(ClinicalAnalysis.normalise("d’Œdèmes")).isEqualTo("oedemes");
        assertThat(ClinicalAnalysis.normalise("H.T.A")).isEqualTo("hta");
        assertThat(ClinicalAnalysis.normalise("he\u0301mo")).isEqualTo("hemo");
        assertThat(ClinicalAnalysis.normalise("E11.9")).isEqualTo("e11.9");
    }

    @Test
    void classicQueryParserUsesTheGraphAndTheNormalisedPrefix() throws Exception {
        QueryParser parser = new QueryParser(TEXT, query);
        parser.setSplitOnWhitespace(false);
        parser.setAutoGenerateMultiTermSynonymsPhraseQuery(true);
        assertThat(ids(parser.parse("AVC"))).contains("avc", "avc-long");
        assertThat(ids(parser.parse("accident vasculaire cérébral"))).contains("avc", "avc-long");
        assertThat(ids(parser.parse("HÉMOGLOB*"))).contains("hb-line", "hba1c");
        assertThat(ids(parser.parse("l’hypert*"))).contains("hta-elision", "hta-line");
    }

    // ----- throughput

    @Test
    void measuresIndexAnalysisThroughput() throws IOException {
        String text = frenchText(10 * 1024 * 1024);
        double megabytes = text.getBytes(StandardCharsets.UTF_8).length / (1024.0 * 1024.0);
        long tokens = consume(index, text); // warm-up
        long best = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            consume(index, text);
            best = Math.min(best, System.nanoTime() - start);
        }
        double seconds = best / 1e9;
        // The same text through Lucene's StandardAnalyzer (tokenizer and lower case only), for a figure that does not
        // depend on the machine's load.
        long reference = Long.MAX_VALUE;
        try (Analyzer standard = new StandardAnalyzer(CharArraySet.EMPTY_SET)) {
            consume(standard, text);
            for (int run = 0; run < 3; run++) {
                long start = System.nanoTime();
                consume(standard, text);
                reference = Math.min(reference, System.nanoTime() - start);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "index() analysis: %.1f MB (UTF-8), %d tokens, best of 3 in %.3f s: %.1f MB/s, %.2f M tokens/s"
                        + " (StandardAnalyzer: %.1f MB/s)%n",
                megabytes,
                tokens,
                seconds,
                megabytes / seconds,
                tokens / seconds / 1e6,
                megabytes / (reference / 1e9));
        assertThat(tokens).isGreaterThan(1_000_000);
    }

    private static long consume(Analyzer analyzer, String text) throws IOException {
        long tokens = 0;
        try (TokenStream stream = analyzer.tokenStream(TEXT, text)) {
            stream.reset();
            while (stream.incrementToken()) {
                tokens++;
            }
            stream.end();
        }
        return tokens;
    }

    private static String frenchText(int chars) {
        List<String> sentences = List.of(
                "Patiente de 87 ans, retrouvée au sol par l'aide à domicile, sans perte de connaissance. ",
                "Antécédents : H.T.A., ACFA sous apixaban 5 mg (ATC B01AF02), insuffisance rénale chronique stade 3. ",
                "Pas de fièvre, pas de douleur thoracique ; l’examen neurologique ne retrouve aucun déficit. ",
                "Poids 61,5 kg (LOINC 29463-7), hémoglobine 10,2 g/dL (LOINC 718-7), DFG à 38 mL/min. ",
                "Syndrome confusionnel nocturne, désorientée dans le temps, qu'elle attribue à l'hospitalisation. ",
                "Diabète de type 2 (CIM-10 E11.9) équilibré sous metformine, HbA1c à 7,2 %. ",
                "Escarre talonnière de stade 2, dénutrition modérée : avis diététique et kinésithérapie quotidienne. ",
                "Il n'y a ni œdème des membres inférieurs ni signe d’insuffisance cardiaque décompensée. ");
        Random random = new Random(15);
        StringBuilder text = new StringBuilder(chars + 200);
        while (text.length() < chars) {
            text.append(sentences.get(random.nextInt(sentences.size())));
        }
        return text.toString();
    }

    // ----- helpers

    private static List<String> indexTerms(String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = index.tokenStream(TEXT, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }

    private static Query parse(String words) {
        QueryBuilder builder = new QueryBuilder(query);
        builder.setAutoGenerateMultiTermSynonymsPhraseQuery(true);
        Query parsed = builder.createBooleanQuery(TEXT, words, BooleanClause.Occur.MUST);
        return parsed == null ? new MatchNoDocsQuery() : parsed;
    }

    private static Set<String> search(String words) {
        return ids(parse(words));
    }

    private static Set<String> ids(Query parsed) {
        try {
            Set<String> ids = new TreeSet<>();
            for (ScoreDoc hit : searcher.search(parsed, DOCUMENTS.size()).scoreDocs) {
                ids.add(searcher.storedFields().document(hit.doc).get("id"));
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
