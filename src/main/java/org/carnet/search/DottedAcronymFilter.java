package org.carnet.search;

import java.io.IOException;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Writes a dotted acronym as the plain one: « H.T.A » (the tokenizer leaves the final full stop out) becomes « HTA »,
 * « A.V.K » « AVK ». Only single letters between the dots count, so a CIM-10 code ({@code E11.9}) or a number keeps
 * its dot. The offsets still cover the dotted form.
 */
final class DottedAcronymFilter extends TokenFilter {

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

    DottedAcronymFilter(TokenStream input) {
        super(input);
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (!input.incrementToken()) {
            return false;
        }
        char[] chars = term.buffer();
        int length = term.length();
        if (isDottedAcronym(chars, length)) {
            int letters = 0;
            for (int i = 0; i < length; i += 2) {
                chars[letters++] = chars[i];
            }
            term.setLength(letters);
        }
        return true;
    }

    private static boolean isDottedAcronym(char[] chars, int length) {
        if (length < 3 || length % 2 == 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            boolean letterExpected = i % 2 == 0;
            if (letterExpected ? !Character.isLetter(chars[i]) : chars[i] != '.') {
                return false;
            }
        }
        return true;
    }
}
