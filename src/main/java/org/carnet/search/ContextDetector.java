package org.carnet.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.carnet.search.ContextLexicon.Direction;
import org.carnet.search.ContextLexicon.Role;
import org.carnet.search.ContextLexicon.Trigger;
import org.jspecify.annotations.Nullable;

/**
 * The context of every part of a French clinical text: affirmed, negated, hypothetical, about someone else, or
 * generic. A rule-based method in the family of NegEx and ConText, written for French clinical writing: triggers
 * found in each sentence open a scope forward or backward that ends at the clause's end; relatives' and generic
 * statements are laid over negations and hypotheses by precedence ({@link MentionContext}); a section titled
 * « Antécédents familiaux : » or « Consignes : » covers its lines. docs/search-context.md states the rules and
 * their known limits. Stateless and thread-safe; one pass over the text.
 */
final class ContextDetector {

    private static final MentionContext[] CONTEXTS = MentionContext.values();

    private ContextDetector() {}

    /** The text cut into consecutive spans covering it wholly (no gaps, no overlaps, in order), each with its context. */
    static List<ContextSpan> spans(String text) {
        ClinicalTokens tokens = ClinicalTokens.of(text);
        byte[] contexts = new byte[tokens.size()];
        new Scoping(tokens, contexts).run();
        List<ContextSpan> spans = new ArrayList<>();
        if (text.isEmpty()) {
            return spans;
        }
        int spanStart = 0;
        int current = -1;
        for (int k = 0; k < tokens.size(); k++) {
            if (!tokens.isWord(k)) {
                continue;
            }
            if (current < 0) {
                current = contexts[k];
            } else if (contexts[k] != current) {
                spans.add(new ContextSpan(spanStart, tokens.start(k), CONTEXTS[current]));
                spanStart = tokens.start(k);
                current = contexts[k];
            }
        }
        spans.add(new ContextSpan(spanStart, text.length(), CONTEXTS[Math.max(current, 0)]));
        return spans;
    }

    /** The context of the words at {@code [start, end)} of the text: that of its first non-blank character. */
    static MentionContext contextOf(String text, int start, int end) {
        if (start < 0 || end > text.length() || end <= start) {
            throw new IllegalArgumentException("[" + start + ", " + end + ") is not in a text of " + text.length());
        }
        int first = start;
        while (first < end - 1 && ClinicalTokens.isSpace(text.charAt(first))) {
            first++;
        }
        for (ContextSpan span : spans(text)) {
            if (first < span.end()) {
                return span.context();
            }
        }
        return MentionContext.AFFIRMED;
    }

    /** A trigger found in a sentence, tokens {@code [from, to)}. */
    private static final class Match {
        final int from;
        final int to;
        final Role role;
        final Direction direction;
        final boolean commaStops;
        final boolean conditional;
        boolean plural;
        boolean header;
        boolean suppressed;

        Match(int from, int to, Role role, Direction direction, boolean commaStops, boolean conditional) {
            this.from = from;
            this.to = to;
            this.role = role;
            this.direction = direction;
            this.commaStops = commaStops;
            this.conditional = conditional;
        }
    }

    /** The work on one text: each sentence's triggers, then their scopes marked on the tokens. */
    private static final class Scoping {
        private final ClinicalTokens t;
        private final byte[] contexts;
        private final int[] matchAt;
        private final List<Match> matches = new ArrayList<>();

        Scoping(ClinicalTokens tokens, byte[] contexts) {
            this.t = tokens;
            this.contexts = contexts;
            this.matchAt = new int[tokens.size()];
            Arrays.fill(matchAt, -1);
        }

        void run() {
            sections();
            int n = t.size();
            int s = 0;
            for (int k = 0; k <= n; k++) {
                if (k == n || t.endsSentence(k)) {
                    if (k > s) {
                        sentence(s, k, k < n && t.kind(k) == ClinicalTokens.QUESTION);
                    }
                    s = k + 1;
                }
            }
        }

        private void mark(int from, int to, MentionContext context) {
            byte c = (byte) context.ordinal();
            for (int k = from; k < to; k++) {
                if (contexts[k] < c) {
                    contexts[k] = c;
                }
            }
        }

        // Sections: « Antécédents familiaux : » or « Consignes : » alone on a line cover the lines below it until the
        // next title or a blank line. With text after the colon, the title is a trigger like any other.
        private void sections() {
            int n = t.size();
            int lineStart = 0;
            @Nullable MentionContext open = null;
            for (int k = 0; k <= n; k++) {
                if (k < n && !t.endsLine(k)) {
                    continue;
                }
                int titleKind = title(lineStart, k);
                if (titleKind != NO_TITLE) {
                    open = null;
                    @Nullable
                    MentionContext context = titleKind == FAMILY_TITLE
                            ? MentionContext.OTHER_PERSON
                            : titleKind == GENERIC_TITLE ? MentionContext.GENERIC : null;
                    if (context != null && lastTokenIsColon(lineStart, k)) {
                        open = context;
                        mark(lineStart, k, context);
                    }
                } else if (open != null) {
                    mark(lineStart, k, open);
                }
                if (k < n && t.kind(k) == ClinicalTokens.BLANK) {
                    open = null;
                }
                lineStart = k + 1;
            }
        }

        private static final int NO_TITLE = 0;
        private static final int PLAIN_TITLE = 1;
        private static final int FAMILY_TITLE = 2;
        private static final int GENERIC_TITLE = 3;

        private int title(int a, int b) {
            if (a >= b || t.kind(a) == ClinicalTokens.BULLET) {
                return NO_TITLE;
            }
            int colon = -1;
            for (int k = a; k < Math.min(b, a + 7); k++) {
                if (t.kind(k) == ClinicalTokens.COLON) {
                    colon = k;
                    break;
                }
                if (!t.isWord(k)) {
                    return NO_TITLE;
                }
            }
            if (colon <= a) {
                return NO_TITLE;
            }
            for (int k = a; k < colon; k++) {
                if (ContextLexicon.FAMILY_WORDS.contains(t.norm(k))) {
                    return FAMILY_TITLE;
                }
            }
            if (ContextLexicon.GENERIC_SECTIONS.contains(t.norm(a))) {
                return GENERIC_TITLE;
            }
            return colon + 1 == b || ContextLexicon.SECTION_WORDS.contains(t.norm(a)) ? PLAIN_TITLE : NO_TITLE;
        }

        private boolean lastTokenIsColon(int a, int b) {
            return b > a && t.kind(b - 1) == ClinicalTokens.COLON;
        }

        private void sentence(int s, int e, boolean question) {
            for (Match m : matches) {
                for (int k = m.from; k < m.to; k++) {
                    matchAt[k] = -1;
                }
            }
            matches.clear();
            findTriggers(s, e);
            boolean conditional = false;
            for (Match m : matches) {
                conditional |= m.conditional;
                if ((m.role == Role.NEGATED || m.role == Role.HYPOTHETICAL) && !m.suppressed) {
                    scopeNegationOrHypothesis(m, s, e);
                }
            }
            if (question) {
                mark(questionStart(e, s), e, MentionContext.HYPOTHETICAL);
            }
            for (Match m : matches) {
                if (m.role == Role.OTHER_PERSON || m.role == Role.FAMILY) {
                    scopeOtherPerson(m, s, e);
                } else if (m.role == Role.GENERIC) {
                    scopeGeneric(m, s, e);
                }
            }
            if (conditional && hasAdvice(s, e)) {
                mark(s, e, MentionContext.GENERIC);
            }
        }

        private boolean hasAdvice(int s, int e) {
            for (int k = s; k < e; k++) {
                if (ContextLexicon.ADVICE.contains(t.norm(k))) {
                    return true;
                }
            }
            return false;
        }

        private void findTriggers(int s, int e) {
            int k = s;
            while (k < e) {
                Match m = lexicon(k, e);
                if (m == null) {
                    m = special(k, e);
                }
                if (m == null) {
                    k++;
                    continue;
                }
                if (m.role == Role.OTHER_PERSON && notTheSubject(m, s, e)) {
                    m = new Match(m.from, m.to, Role.PSEUDO, Direction.NONE, false, false);
                }
                m.header = m.to < e && t.kind(m.to) == ClinicalTokens.COLON;
                int index = matches.size();
                matches.add(m);
                for (int j = m.from; j < m.to; j++) {
                    matchAt[j] = index;
                }
                k = m.to;
            }
        }

        private @Nullable Match lexicon(int k, int e) {
            Trigger[] candidates = ContextLexicon.startingWith(t.norm(k));
            if (candidates == null) {
                return null;
            }
            for (Trigger trigger : candidates) {
                List<String> words = trigger.words();
                int length = words.size();
                if (k + length > e) {
                    continue;
                }
                boolean same = true;
                for (int j = 1; j < length && same; j++) {
                    same = words.get(j).equals(t.norm(k + j));
                }
                if (same && words.get(0).equals(":") && k + length < e && t.isWord(k + length)) {
                    // « Fièvre : non » answers a question; « Mammographie : aucune lésion » is a list heading.
                    continue;
                }
                if (same) {
                    Match m = new Match(
                            k,
                            k + length,
                            trigger.role(),
                            trigger.direction(),
                            trigger.commaStops(),
                            trigger.conditional());
                    m.plural = isPlural(words.get(length - 1));
                    return m;
                }
            }
            return null;
        }

        private static boolean isPlural(String word) {
            return word.length() > 2 && (word.endsWith("s") || word.endsWith("x"));
        }

        // « ne … pas » is a negation when an adverb follows within a few words; « ne … pas que » is a restriction;
        // « n'a pas été retrouvé » also negates what precedes. « non » before a participle of finding negates what
        // precedes (« pouls non perçus »), before another word that word only (« abdomen non douloureux »).
        private @Nullable Match special(int k, int e) {
            String word = t.norm(k);
            if (word.equals("ne")) {
                for (int j = k + 1; j < Math.min(e, k + 7); j++) {
                    if (!t.isWord(j)) {
                        return null;
                    }
                    if (!ContextLexicon.NEGATION_ADVERBS.contains(t.norm(j))) {
                        continue;
                    }
                    Match after = lexicon(j, e);
                    if (after != null && after.role == Role.PSEUDO) {
                        return new Match(k, after.to, Role.PSEUDO, Direction.NONE, false, false);
                    }
                    if (j + 1 < e && ContextLexicon.RESTRICTIONS.contains(t.norm(j + 1))) {
                        return new Match(k, j + 2, Role.PSEUDO, Direction.NONE, false, false);
                    }
                    int p = j + 1;
                    if (p < e && t.norm(p).equals("ete")) {
                        p++;
                    }
                    if (p < e && ContextLexicon.DETECTION.contains(t.norm(p))) {
                        Match m = new Match(k, p + 1, Role.NEGATED, Direction.BOTH, false, false);
                        m.plural = isPlural(t.norm(p));
                        return m;
                    }
                    return new Match(k, k + 1, Role.NEGATED, Direction.FORWARD, false, false);
                }
                return null;
            }
            if (word.equals("non")) {
                if (k + 1 >= e || !t.isWord(k + 1)) {
                    return new Match(k, k + 1, Role.NEGATED, Direction.BACKWARD, false, false);
                }
                String next = t.norm(k + 1);
                if (ContextLexicon.DETECTION.contains(next)) {
                    Match m = new Match(k, k + 2, Role.NEGATED, Direction.BACKWARD, false, false);
                    m.plural = isPlural(next);
                    return m;
                }
                return new Match(k, k + 1, Role.NEGATED, Direction.NEXT_WORD, false, false);
            }
            return null;
        }

        // A relative who reports, calls or comes along is the informant (« selon sa fille », « sa femme rapporte »);
        // « mère de trois enfants » is the patient.
        private boolean notTheSubject(Match m, int s, int e) {
            for (int j = m.from - 1; j >= Math.max(s, m.from - 3); j--) {
                String w = t.norm(j);
                if (ContextLexicon.COMPANIONS.contains(w)) {
                    return true;
                }
                if (w.equals("chez") && j > s && ContextLexicon.LIVES.contains(t.norm(j - 1))) {
                    return true;
                }
            }
            for (int j = m.to; j < Math.min(e, m.to + 3); j++) {
                if (ContextLexicon.REPORTING.contains(t.norm(j))) {
                    return true;
                }
            }
            return m.to + 1 < e
                    && t.norm(m.to).equals("de")
                    && (t.kind(m.to + 1) == ClinicalTokens.NUMBER
                            || ContextLexicon.NUMBER_WORDS.contains(t.norm(m.to + 1)));
        }

        private void scopeNegationOrHypothesis(Match m, int s, int e) {
            MentionContext c = m.role == Role.NEGATED ? MentionContext.NEGATED : MentionContext.HYPOTHETICAL;
            mark(m.from, m.to, c);
            switch (m.direction) {
                case FORWARD -> mark(m.to, forwardEnd(m, e), c);
                case BACKWARD -> mark(backwardStart(m.from, s, m.plural), m.from, c);
                case BOTH -> {
                    mark(backwardStart(m.from, s, m.plural), m.from, c);
                    mark(m.to, forwardEnd(m, e), c);
                }
                case NEXT_WORD -> {
                    if (m.to < e && t.isWord(m.to)) {
                        mark(m.to, m.to + 1, c);
                    }
                }
                case NONE -> {}
            }
        }

        private int forwardEnd(Match m, int e) {
            int last = m.to;
            for (int k = m.to; k < e; k++) {
                int index = matchAt[k];
                if (index >= 0 && matches.get(index) != m && matches.get(index).from == k) {
                    Match other = matches.get(index);
                    if (other.role == Role.CLAUSE_END || other.role == Role.CONTRAST) {
                        return k;
                    }
                    if (other.role == Role.NEGATED || other.role == Role.HYPOTHETICAL) {
                        if (!nested(last, k)) {
                            return k;
                        }
                        // « pas de suspicion de », « si absence de »: the first trigger governs the second.
                        other.suppressed = true;
                        last = other.to;
                        k = other.to - 1;
                        continue;
                    }
                }
                byte kind = t.kind(k);
                if (kind == ClinicalTokens.COLON) {
                    if (k == m.to && m.header) {
                        continue;
                    }
                    return k;
                }
                if (kind == ClinicalTokens.COMMA && (m.commaStops || !listGoesOn(k, e))) {
                    return k;
                }
            }
            return e;
        }

        private boolean nested(int last, int k) {
            if (k - last > 2) {
                return false;
            }
            for (int j = last; j < k; j++) {
                if (!t.isWord(j)) {
                    return false;
                }
            }
            return true;
        }

        // After a comma a negation goes on over a list: « pas de fièvre, de toux », « sans fièvre, frissons ni
        // sueurs »; otherwise the comma starts another finding (« pas de fièvre, toux productive »).
        private boolean listGoesOn(int comma, int e) {
            if (comma + 1 >= e) {
                return false;
            }
            if (ContextLexicon.LIST_CONTINUATIONS.contains(t.norm(comma + 1))) {
                return true;
            }
            int words = 0;
            for (int j = comma + 1; j < e; j++) {
                byte kind = t.kind(j);
                if (kind == ClinicalTokens.COLON) {
                    return false;
                }
                if (kind == ClinicalTokens.COMMA) {
                    if (words > 3) {
                        return false;
                    }
                    words = 0;
                    continue;
                }
                int index = matchAt[j];
                if (index >= 0) {
                    Role role = matches.get(index).role;
                    if (role == Role.CLAUSE_END || role == Role.CONTRAST) {
                        return false;
                    }
                }
                String w = t.norm(j);
                if (w.equals("ni") || w.equals("ou")) {
                    return true;
                }
                words++;
            }
            return false;
        }

        private int backwardStart(int from, int s, boolean plural) {
            for (int k = from - 1; k >= s; k--) {
                byte kind = t.kind(k);
                if (kind == ClinicalTokens.COLON || (kind == ClinicalTokens.COMMA && !plural)) {
                    return k + 1;
                }
                int index = matchAt[k];
                if (index >= 0) {
                    Role role = matches.get(index).role;
                    if (role == Role.CLAUSE_END
                            || role == Role.CONTRAST
                            || role == Role.NEGATED
                            || role == Role.HYPOTHETICAL) {
                        return k + 1;
                    }
                }
            }
            return s;
        }

        // A question asks its whole clause, the triggers in it included (« douleur évoquant un ulcère ? »).
        private int questionStart(int e, int s) {
            for (int k = e - 1; k >= s; k--) {
                byte kind = t.kind(k);
                if (kind == ClinicalTokens.COLON || kind == ClinicalTokens.COMMA) {
                    return k + 1;
                }
                int index = matchAt[k];
                if (index >= 0) {
                    Role role = matches.get(index).role;
                    if (role == Role.CLAUSE_END || role == Role.CONTRAST) {
                        return k + 1;
                    }
                }
            }
            return s;
        }

        // A relative's scope: forward to the comma (to the sentence's end after « Mère : » or « ATCD familiaux »),
        // and back over the finding when the relative follows it (« diabète chez la mère », « diabète (père) »).
        private void scopeOtherPerson(Match m, int s, int e) {
            mark(m.from, m.to, MentionContext.OTHER_PERSON);
            boolean heading = m.header || (m.from == s && headsALine(m, e));
            int k = m.to;
            for (; k < e; k++) {
                byte kind = t.kind(k);
                if (!heading && (kind == ClinicalTokens.COMMA || kind == ClinicalTokens.COLON)) {
                    break;
                }
                int index = matchAt[k];
                if (index >= 0 && matches.get(index).from == k) {
                    Role role = matches.get(index).role;
                    if (role == Role.PATIENT || role == Role.CONTRAST || (!heading && role == Role.CLAUSE_END)) {
                        break;
                    }
                }
            }
            mark(m.to, k, MentionContext.OTHER_PERSON);
            if (m.role == Role.FAMILY || followsItsFinding(m, s)) {
                int j = m.from - 1;
                boolean colonPassed = false;
                for (; j >= s; j--) {
                    byte kind = t.kind(j);
                    if (kind == ClinicalTokens.COMMA || (kind == ClinicalTokens.COLON && colonPassed)) {
                        break;
                    }
                    colonPassed |= kind == ClinicalTokens.COLON;
                    int index = matchAt[j];
                    if (index >= 0) {
                        Role role = matches.get(index).role;
                        if (role == Role.PATIENT || role == Role.CONTRAST || role == Role.CLAUSE_END) {
                            break;
                        }
                    }
                }
                mark(j + 1, m.from, MentionContext.OTHER_PERSON);
            }
        }

        // « Grand-père paternel : AVC », « Sœur aînée : asthme » at the start of a sentence
        private boolean headsALine(Match m, int e) {
            for (int k = m.to; k < Math.min(e, m.to + 3); k++) {
                if (t.kind(k) == ClinicalTokens.COLON) {
                    return true;
                }
                if (!t.isWord(k)) {
                    return false;
                }
            }
            return false;
        }

        private boolean followsItsFinding(Match m, int s) {
            for (int j = m.from - 1; j >= Math.max(s, m.from - 3); j--) {
                String w = t.norm(j);
                if (w.equals("de")) {
                    // « mort subite d'un oncle », not « à la naissance de sa fille »
                    String next = t.norm(j + 1);
                    return next.equals("un") || next.equals("une") || next.equals("deux") || next.equals("trois");
                }
                if (w.equals("chez") || w.equals("dans") || w.equals("(") || w.equals(":") || w.equals("[")) {
                    return true;
                }
                if (!t.isWord(j) || !isDeterminer(w)) {
                    return false;
                }
            }
            return false;
        }

        private static boolean isDeterminer(String w) {
            return switch (w) {
                case "sa", "son", "ses", "la", "le", "les", "un", "une", "des", "leur", "deux", "trois" -> true;
                default -> false;
            };
        }

        // A generic statement covers its sentence, up to a contrast (« …, mais chez ce patient … »).
        private void scopeGeneric(Match m, int s, int e) {
            int a = m.from;
            while (a > s && !isContrast(a - 1)) {
                a--;
            }
            int b = m.to;
            while (b < e && !isContrast(b)) {
                b++;
            }
            mark(a, b, MentionContext.GENERIC);
        }

        private boolean isContrast(int k) {
            int index = matchAt[k];
            return index >= 0 && matches.get(index).role == Role.CONTRAST;
        }
    }
}
