package org.carnet.search;

import java.io.IOException;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Splits French clinical text into words, keeping clinical codes whole: a run of letters and digits is one token
 * ({@code I10}, {@code B01AF02}, {@code 5mg}), and so is a run joined by
 *
 * <ul>
 *   <li>a full stop between two letters or digits: CIM-10 {@code E11.9}, dotted acronyms {@code H.T.A}, {@code 1.5};
 *   <li>a comma or a hyphen between two digits: {@code 61,5}, LOINC {@code 29463-7};
 *   <li>an apostrophe ({@code '}, {@code ’}, {@code ʼ}) between two letters: {@code l'hypertension}, left to the
 *       elision filter.
 * </ul>
 *
 * A hyphen between letters splits ({@code anti-vitamine} gives two words), as a space would. Combining marks (text in
 * decomposed form) are dropped from the term but stay inside the token's offsets, so highlighting covers them.
 * Offsets are those of the original text (through {@link #correctOffset(int)} when a char filter comes first).
 */
final class ClinicalTokenizer extends Tokenizer {

    static final int MAX_TOKEN_LENGTH = 255;

    private static final int NONE = -1;

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);

    private final char[] buffer = new char[8192];
    private int bufferLength;
    private int bufferIndex;
    /** Chars read from the input so far. */
    private int consumed;

    /** Start and end offsets of the code point last returned by {@link #nextCodePoint()}. */
    private int lastStart;

    private int lastEnd;

    /** One code point read ahead and given back, with its offsets. */
    private int pending = NONE;

    private int pendingStart;
    private int pendingEnd;

    private int finalOffset;

    @Override
    public boolean incrementToken() throws IOException {
        clearAttributes();
        int c;
        do {
            c = nextCodePoint();
            if (c == NONE) {
                finalOffset = correctOffset(consumed);
                return false;
            }
        } while (!isWordChar(c));
        int start = lastStart;
        int end = lastEnd;
        int length = append(0, c);
        int previous = c;
        while (true) {
            c = nextCodePoint();
            if (c == NONE) {
                break;
            }
            if (isWordChar(c)) {
                if (length + Character.charCount(c) > MAX_TOKEN_LENGTH) {
                    giveBack(c);
                    break;
                }
                length = append(length, c);
                previous = c;
                end = lastEnd;
            } else if (isMark(c)) {
                end = lastEnd;
            } else if (isJoiner(c)) {
                int joiner = c;
                int next = nextCodePoint();
                if (next != NONE
                        && joins(previous, joiner, next)
                        && length + 1 + Character.charCount(next) <= MAX_TOKEN_LENGTH) {
                    length = append(length, joiner);
                    length = append(length, next);
                    previous = next;
                    end = lastEnd;
                } else {
                    if (next != NONE) {
                        giveBack(next);
                    }
                    break;
                }
            } else {
                break;
            }
        }
        term.setLength(length);
        offset.setOffset(correctOffset(start), correctOffset(end));
        return true;
    }

    private static boolean isWordChar(int c) {
        return Character.isLetterOrDigit(c);
    }

    private static boolean isMark(int c) {
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    private static boolean isJoiner(int c) {
        return c == '.' || c == ',' || isHyphen(c) || isApostrophe(c);
    }

    private static boolean isHyphen(int c) {
        return c == '-' || c == '\u2010' || c == '\u2011';
    }

    static boolean isApostrophe(int c) {
        return c == '\'' || c == '\u2019' || c == '\u02BC';
    }

    private static boolean joins(int previous, int joiner, int next) {
        if (joiner == '.') {
            return isWordChar(next);
        }
        if (isApostrophe(joiner)) {
            return Character.isLetter(previous) && Character.isLetter(next);
        }
        return Character.isDigit(previous) && Character.isDigit(next);
    }

    private int append(int length, int c) {
        char[] chars = term.resizeBuffer(length + 2);
        return length + Character.toChars(c, chars, length);
    }

    private void giveBack(int c) {
        pending = c;
        pendingStart = lastStart;
        pendingEnd = lastEnd;
    }

    private int nextCodePoint() throws IOException {
        if (pending != NONE) {
            int c = pending;
            pending = NONE;
            lastStart = pendingStart;
            lastEnd = pendingEnd;
            return c;
        }
        int high = nextChar();
        if (high == NONE) {
            return NONE;
        }
        lastStart = consumed - 1;
        if (Character.isHighSurrogate((char) high)) {
            int low = nextChar();
            if (low != NONE) {
                if (Character.isLowSurrogate((char) low)) {
                    lastEnd = consumed;
                    return Character.toCodePoint((char) high, (char) low);
                }
                // An unpaired surrogate: the char just read is read again on the next call.
                bufferIndex--;
                consumed--;
            }
        }
        lastEnd = consumed;
        return high;
    }

    private int nextChar() throws IOException {
        while (bufferIndex >= bufferLength) {
            bufferLength = input.read(buffer, 0, buffer.length);
            bufferIndex = 0;
            if (bufferLength < 0) {
                bufferLength = 0;
                return NONE;
            }
        }
        consumed++;
        return buffer[bufferIndex++];
    }

    @Override
    public void end() throws IOException {
        super.end();
        offset.setOffset(finalOffset, finalOffset);
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        bufferLength = 0;
        bufferIndex = 0;
        consumed = 0;
        lastStart = 0;
        lastEnd = 0;
        pending = NONE;
        finalOffset = 0;
    }
}
