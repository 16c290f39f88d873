package org.carnet.synthetic;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much a generated record looks like a real one rather than a sentence bank: the share of distinct sentences
 * once digits are masked (dates and values alone do not make a sentence new), the vocabulary (distinct lower-cased
 * words), and the share of documents of each type. A search engine measured on a record of a few hundred
 * sentences repeated thousands of times would be flattered; these figures say whether that is the case.
 *
 * <p>A sentence is a line, or a part of a line ending with {@code .}, {@code !}, {@code ?} or {@code ;} followed
 * by a space (a dot after a single letter, as in initials and dotted acronyms, ends nothing). A word is a run of letters (apostrophes and hyphens split words: "l'examen" is "l" and "examen").
 */
record Realism(
        int documents,
        int sentences,
        int distinctSentences,
        int vocabulary,
        int vocabularySeenThrice,
        Map<String, Integer> documentsByType) {

    // Not after an initial or a dotted acronym ("J. R.", "H.T.A. 150/80"): those dots do not end a sentence.
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;])(?<![\\s.]\\p{L}\\.)(?<!^\\p{L}\\.)\\s+");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern WORD = Pattern.compile("\\p{L}+");

    static Realism of(List<Model.Document> documents) {
        Set<String> distinct = new HashSet<>();
        Map<String, Integer> words = new HashMap<>();
        Map<String, Integer> byType = new TreeMap<>();
        int sentences = 0;
        for (Model.Document document : documents) {
            byType.merge(document.kind().label, 1, Integer::sum);
            for (String line : document.text().split("\n")) {
                for (String sentence : SENTENCE_END.split(line)) {
                    String masked = DIGITS.matcher(sentence.strip()).replaceAll("0");
                    if (!masked.isEmpty()) {
                        sentences++;
                        distinct.add(masked);
                    }
                }
                Matcher word = WORD.matcher(line);
                while (word.find()) {
                    words.merge(word.group().toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
            }
        }
        int seenThrice =
                (int) words.values().stream().filter(count -> count >= 3).count();
        return new Realism(documents.size(), sentences, distinct.size(), words.size(), seenThrice, byType);
    }

    double distinctShare() {
        return sentences == 0 ? 0 : (double) distinctSentences / sentences;
    }

    double share(Model.DocKind kind) {
        return documents == 0 ? 0 : (double) documentsByType.getOrDefault(kind.label, 0) / documents;
    }

    /** The figures, one per line, as the generate command prints them. */
    String report() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "realism: %d documents, %d sentences, %d distinct once digits are masked (%.1f %%)%n",
                documents,
                sentences,
                distinctSentences,
                100 * distinctShare()));
        text.append(String.format(
                Locale.ROOT,
                "realism: vocabulary %d distinct lower-cased words (%d seen at least three times)%n",
                vocabulary,
                vocabularySeenThrice));
        documentsByType.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> text.append(String.format(
                        Locale.ROOT,
                        "realism: %5.1f %% %s (%d)%n",
                        100.0 * e.getValue() / documents,
                        e.getKey(),
                        e.getValue())));
        return text.toString();
    }
}
