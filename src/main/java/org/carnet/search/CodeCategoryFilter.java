package org.carnet.search;

import java.io.IOException;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.util.AttributeSource;

/**
 * At indexing, stacks the three-character CIM-10 category on a sub-category code: {@code e11.9} is indexed as
 * {@code e11.9} and {@code e11} at the same position and offsets, so a query for « E11 », or for « diabète de type 2 »
 * which the synonyms map to {@code e11}, finds « E11.9 ». A query for {@code e11.9} stays precise. Expects lower-cased
 * terms.
 */
final class CodeCategoryFilter extends TokenFilter {

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute position = addAttribute(PositionIncrementAttribute.class);

    private AttributeSource.@org.jspecify.annotations.Nullable State category;

    CodeCategoryFilter(TokenStream input) {
        super(input);
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (category != null) {
            restoreState(category);
            category = null;
            term.setLength(3);
            position.setPositionIncrement(0);
            return true;
        }
        if (!input.incrementToken()) {
            return false;
        }
        if (isSubCategory(term.buffer(), term.length())) {
            category = captureState();
        }
        return true;
    }

    /** {@code [a-z]nn.n} or {@code [a-z]nn.nn}. */
    static boolean isSubCategory(char[] chars, int length) {
        if (length < 5 || length > 6) {
            return false;
        }
        if (chars[0] < 'a' || chars[0] > 'z' || !isAsciiDigit(chars[1]) || !isAsciiDigit(chars[2]) || chars[3] != '.') {
            return false;
        }
        for (int i = 4; i < length; i++) {
            if (!isAsciiDigit(chars[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        category = null;
    }
}
