package org.carnet.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.ByteRunAutomaton;

/**
 * Passages of an entry's text with every match of the query's terms marked, each term with its own class
 * ({@code t1}, {@code t2}…) so a page can colour them, and the context of each match: in the default mode only
 * affirmed mentions about the patient are marked and chosen; with every context, each mention keeps its label. The
 * text is analysed again with the index's chain, so a match is exactly what the index matched, and its offsets are
 * those of the original text.
 */
final class Snippets {

    /** Longest passage shown, in characters. */
    static final int PASSAGE_CHARS = 260;

    /**
     * What matches one typed term: exact index tokens, automata (prefixes, words one letter away), and phrases (a
     * phrase typed, or a synonym of several words), each a sequence of positions with the tokens allowed there.
     */
    record Matcher(
            int termIndex, Set<String> tokens, List<ByteRunAutomaton> automata, List<List<Set<String>>> phrases) {
        boolean matches(String token) {
            if (tokens.contains(token)) {
                return true;
            }
            BytesRef bytes = new BytesRef(token);
            for (ByteRunAutomaton automaton : automata) {
                if (automaton.run(bytes.bytes, bytes.offset, bytes.length)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A match in the text. */
    record Match(int start, int end, int termIndex, MentionContext context) {}

    /** The passages, and the context of the matches they show (affirmed when any is). */
    record Result(List<String> passages, MentionContext context, List<Match> matches) {}

    private Snippets() {}

    static List<Match> matches(
            String text, List<ContextSpan> spans, List<Matcher> matchers, Set<MentionContext> allowed) {
        record Token(String term, int start, int end) {}
        List<Token> tokens = new ArrayList<>();
        Analyzer analyzer = LuceneIndex.INDEX_ANALYZER;
        try (TokenStream stream = analyzer.tokenStream(LuceneIndex.TEXT, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                if (increment.getPositionIncrement() == 0 && !tokens.isEmpty()) {
                    continue; // a second token at the same position (a code's category): the first one is shown
                }
                tokens.add(new Token(term.toString(), offset.startOffset(), offset.endOffset()));
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Match> found = new ArrayList<>();
        int span = 0;
        int i = 0;
        while (i < tokens.size()) {
            int length = 0;
            int termIndex = -1;
            for (Matcher matcher : matchers) {
                for (List<Set<String>> phrase : matcher.phrases()) {
                    if (phrase.size() > length && i + phrase.size() <= tokens.size()) {
                        boolean all = true;
                        for (int k = 0; k < phrase.size() && all; k++) {
                            all = phrase.get(k).contains(tokens.get(i + k).term());
                        }
                        if (all) {
                            length = phrase.size();
                            termIndex = matcher.termIndex();
                        }
                    }
                }
                if (length == 0 && matcher.matches(tokens.get(i).term())) {
                    length = 1;
                    termIndex = matcher.termIndex();
                }
            }
            if (length == 0) {
                i++;
                continue;
            }
            int start = tokens.get(i).start();
            while (span < spans.size() - 1 && spans.get(span).end() <= start) {
                span++;
            }
            MentionContext context =
                    spans.isEmpty() ? MentionContext.AFFIRMED : spans.get(span).context();
            if (allowed.contains(context)) {
                for (int k = i; k < i + length; k++) {
                    found.add(new Match(tokens.get(k).start(), tokens.get(k).end(), termIndex, context));
                }
            }
            i += length;
        }
        return found;
    }

    /** At most {@code max} passages, best first by how many distinct terms and matches they hold, shown in text order. */
    static Result of(
            String text, List<ContextSpan> spans, List<Matcher> matchers, Set<MentionContext> allowed, int max) {
        List<Match> matches = matches(text, spans, matchers, allowed);
        if (matches.isEmpty()) {
            String start = text.length() > PASSAGE_CHARS ? text.substring(0, PASSAGE_CHARS) + " …" : text;
            return new Result(List.of(escape(start.strip())), MentionContext.AFFIRMED, matches);
        }
        List<int[]> passages = new ArrayList<>(); // start, end, score
        for (Match match : matches) {
            int start = sentenceStart(text, match.start());
            int end = sentenceEnd(text, match.end());
            if (end - start > PASSAGE_CHARS) {
                start = Math.max(start, match.start() - PASSAGE_CHARS / 2);
                end = Math.min(end, Math.max(match.end(), start + PASSAGE_CHARS));
            }
            int s = start;
            int e = end;
            if (passages.stream().anyMatch(p -> p[0] <= s && p[1] >= e)) {
                continue;
            }
            Set<Integer> terms = new HashSet<>();
            int count = 0;
            for (Match m : matches) {
                if (m.start() >= s && m.end() <= e) {
                    terms.add(m.termIndex());
                    count++;
                }
            }
            passages.add(new int[] {s, e, terms.size() * 100 + count});
        }
        List<int[]> best = passages.stream()
                .sorted(Comparator.comparingInt((int[] p) -> -p[2]).thenComparingInt(p -> p[0]))
                .limit(max)
                .sorted(Comparator.comparingInt(p -> p[0]))
                .toList();
        List<String> shown = new ArrayList<>();
        for (int[] p : best) {
            StringBuilder html = new StringBuilder();
            if (p[0] > 0) {
                html.append("… ");
            }
            int at = p[0];
            for (Match m : matches) {
                if (m.start() >= p[0] && m.end() <= p[1] && m.start() >= at) {
                    html.append(escape(text.substring(at, m.start())))
                            .append("<mark class=\"t")
                            .append(m.termIndex() + 1)
                            .append(m.context() == MentionContext.AFFIRMED ? "" : " " + label(m.context()))
                            .append("\">")
                            .append(escape(text.substring(m.start(), m.end())))
                            .append("</mark>");
                    at = m.end();
                }
            }
            html.append(escape(text.substring(at, p[1])));
            if (p[1] < text.length()) {
                html.append(" …");
            }
            shown.add(html.toString().replaceAll("\\s+", " ").strip());
        }
        MentionContext context = matches.stream().anyMatch(m -> m.context() == MentionContext.AFFIRMED)
                ? MentionContext.AFFIRMED
                : matches.getFirst().context();
        return new Result(List.copyOf(shown), context, matches);
    }

    /** The API's name of a context. */
    static String label(MentionContext context) {
        return switch (context) {
            case AFFIRMED -> "affirmed";
            case NEGATED -> "negated";
            case HYPOTHETICAL -> "hypothetical";
            case OTHER_PERSON -> "other-person";
            case GENERIC -> "generic";
        };
    }

    private static int sentenceStart(String text, int from) {
        for (int i = from - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == '\n'
                    || ((c == '.' || c == '!' || c == '?')
                            && i + 1 < text.length()
                            && Character.isWhitespace(text.charAt(i + 1)))) {
                return i + 1;
            }
        }
        return 0;
    }

    private static int sentenceEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                return i;
            }
            if ((c == '.' || c == '!' || c == '?')
                    && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1)))) {
                return i + 1;
            }
        }
        return text.length();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
