package org.carnet.search;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Strips a French elided article or pronoun ({@code l'}, {@code d'}, {@code qu'}, {@code jusqu'}, …) from the start of
 * a token, with either apostrophe, and moves the token's start offset past it, so that a highlight of
 * « l'hypertension » covers « hypertension » only. Lucene's own ElisionFilter leaves the offsets on the whole token.
 */
final class ElisionFilter extends TokenFilter {

    static final CharArraySet ELIDED = CharArraySet.unmodifiableSet(
            new CharArraySet(List.of("l", "d", "qu", "j", "n", "s", "c", "t", "m", "jusqu", "lorsqu", "puisqu"), true));

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);

    ElisionFilter(TokenStream input) {
        super(input);
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (!input.incrementToken()) {
            return false;
        }
        char[] chars = term.buffer();
        int length = term.length();
        // The longest elided word has six letters; « aujourd'hui » keeps its apostrophe.
        for (int i = 1; i < Math.min(length - 1, 7); i++) {
            if (ClinicalTokenizer.isApostrophe(chars[i])) {
                if (ELIDED.contains(chars, 0, i)) {
                    int stripped = i + 1;
                    // Offsets move with the term only where they map one to one (no char filter changed the width).
                    if (offset.endOffset() - offset.startOffset() == length) {
                        offset.setOffset(offset.startOffset() + stripped, offset.endOffset());
                    }
                    System.arraycopy(chars, stripped, chars, 0, length - stripped);
                    term.setLength(length - stripped);
                }
                break;
            }
        }
        return true;
    }
}
