package org.carnet.search;

import java.util.Arrays;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A French clinical text cut into tokens that keep their offsets: words (folded: lower case, no accents, « œ » as
 * « oe », elisions written out: « d' » is {@code de}, « n' » is {@code ne}), numbers, and the punctuation that
 * bounds sentences and clauses. Dotted abbreviations (« A.T.C.D. », « H.T.A. ») are one word; a dot after a known
 * abbreviation (« Dr. », « cp. »), an initial or inside a number does not end a sentence; a line break followed by
 * a lower-case word after a word or a comma is a wrapped line, not a boundary. One pass, no regular expressions.
 */
final class ClinicalTokens {

    static final byte WORD = 0;
    static final byte NUMBER = 1;
    static final byte COMMA = 2;
    static final byte COLON = 3;
    static final byte QUESTION = 4;
    /** . ! ; … and a dash between spaces. */
    static final byte STOP = 5;

    static final byte LINE = 6;
    /** Two line breaks or more: ends a section. */
    static final byte BLANK = 7;
    /** A list mark at the start of a line. */
    static final byte BULLET = 8;

    static final byte PUNCT = 9;

    private static final Set<String> ABBREVIATIONS = Set.of(
            "dr", "drs", "pr", "mr", "mme", "mmes", "mlle", "cp", "cps", "cpr", "gel", "amp", "env", "cf", "vs", "sem",
            "inj", "ex", "pex", "qsp", "tel", "ref", "st", "ste", "no", "fl", "sol", "susp", "gtt", "flac", "sach");

    private final String text;
    private int size;
    private int[] starts;
    private int[] ends;
    private byte[] kinds;
    private String[] norms;

    private ClinicalTokens(String text) {
        this.text = text;
        int capacity = Math.max(16, text.length() / 4);
        starts = new int[capacity];
        ends = new int[capacity];
        kinds = new byte[capacity];
        norms = new String[capacity];
    }

    static ClinicalTokens of(String text) {
        ClinicalTokens tokens = new ClinicalTokens(text);
        tokens.scan();
        return tokens;
    }

    int size() {
        return size;
    }

    int start(int token) {
        return starts[token];
    }

    int end(int token) {
        return ends[token];
    }

    byte kind(int token) {
        return kinds[token];
    }

    String norm(int token) {
        return norms[token];
    }

    boolean isWord(int token) {
        return kinds[token] == WORD || kinds[token] == NUMBER;
    }

    boolean endsSentence(int token) {
        byte kind = kinds[token];
        return kind == STOP || kind == LINE || kind == BLANK || kind == BULLET || kind == QUESTION;
    }

    boolean endsLine(int token) {
        return kinds[token] == LINE || kinds[token] == BLANK;
    }

    /** The folded form of a character: lower case without accents ({@code œ} gives two characters). */
    static void fold(char c, StringBuilder out) {
        if (c < 0x80) {
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            return;
        }
        char lower = Character.toLowerCase(c);
        switch (lower) {
            case 'à', 'á', 'â', 'ã', 'ä', 'å' -> out.append('a');
            case 'ç' -> out.append('c');
            case 'è', 'é', 'ê', 'ë' -> out.append('e');
            case 'ì', 'í', 'î', 'ï' -> out.append('i');
            case 'ñ' -> out.append('n');
            case 'ò', 'ó', 'ô', 'õ', 'ö' -> out.append('o');
            case 'ù', 'ú', 'û', 'ü' -> out.append('u');
            case 'ý', 'ÿ' -> out.append('y');
            case 'œ' -> out.append("oe");
            case 'æ' -> out.append("ae");
            default -> out.append(lower);
        }
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u00A0' || c == '\u202F' || c == '\u2007' || Character.isWhitespace(c);
    }

    private void scan() {
        int n = text.length();
        StringBuilder folded = new StringBuilder(24);
        boolean lineStart = true;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                int before = size;
                i = lineBreak(i);
                lineStart = size > before;
                continue;
            }
            if (isSpace(c)) {
                i++;
                continue;
            }
            if (lineStart) {
                lineStart = false;
                if (isBullet(c) && (i + 1 >= n || isSpace(text.charAt(i + 1)))) {
                    add(i, i + 1, BULLET, "-");
                    i++;
                    continue;
                }
            }
            if (Character.isLetterOrDigit(c)) {
                i = word(i, folded);
            } else {
                i = punctuation(i, c);
            }
        }
    }

    private static boolean isBullet(char c) {
        return c == '-' || c == '*' || c == '•' || c == '·' || c == '–' || c == '—' || c == '>' || c == '+';
    }

    private static boolean isApostrophe(char c) {
        return c == '\'' || c == '’' || c == 'ʼ';
    }

    private int punctuation(int i, char c) {
        switch (c) {
            case '.' -> {
                return dot(i);
            }
            case '!', ';', '…' -> add(i, i + 1, STOP, ".");
            case '?' -> add(i, i + 1, QUESTION, "?");
            case ',' -> add(i, i + 1, COMMA, ",");
            case ':' -> add(i, i + 1, COLON, ":");
            case '-', '–', '—' -> {
                if (i > 0 && isSpace(text.charAt(i - 1)) && i + 1 < text.length() && isSpace(text.charAt(i + 1))) {
                    add(i, i + 1, STOP, "-");
                }
            }
            case '•', '·' -> add(i, i + 1, STOP, "-");
            default -> add(i, i + 1, PUNCT, String.valueOf(c));
        }
        return i + 1;
    }

    private int dot(int i) {
        int n = text.length();
        if (i + 2 < n && text.charAt(i + 1) == '.' && text.charAt(i + 2) == '.') {
            add(i, i + 3, STOP, ".");
            return i + 3;
        }
        boolean glued =
                i + 1 < n && (Character.isLowerCase(text.charAt(i + 1)) || Character.isDigit(text.charAt(i + 1)));
        boolean abbreviation = size > 0
                && ends[size - 1] == i
                && kinds[size - 1] == WORD
                && (norms[size - 1].length() == 1 || ABBREVIATIONS.contains(norms[size - 1]));
        if (!glued && !abbreviation) {
            add(i, i + 1, STOP, ".");
        }
        return i + 1;
    }

    private int lineBreak(int i) {
        int n = text.length();
        int breaks = 0;
        int j = i;
        while (j < n) {
            char c = text.charAt(j);
            if (c == '\r') {
                breaks++;
                j += j + 1 < n && text.charAt(j + 1) == '\n' ? 2 : 1;
            } else if (c == '\n') {
                breaks++;
                j++;
            } else if (isSpace(c)) {
                j++;
            } else {
                break;
            }
        }
        if (breaks >= 2) {
            add(i, i + 1, BLANK, "\n");
        } else if (!wrapped(j)) {
            add(i, i + 1, LINE, "\n");
        }
        return j;
    }

    /** A line that goes on with a lower-case word after a word or a comma is one sentence wrapped. */
    private boolean wrapped(int next) {
        if (next >= text.length() || size == 0) {
            return false;
        }
        byte previous = kinds[size - 1];
        return Character.isLowerCase(text.charAt(next))
                && (previous == WORD || previous == NUMBER || previous == COMMA);
    }

    private int word(int i, StringBuilder folded) {
        int acronym = acronym(i, folded);
        if (acronym > 0) {
            return acronym;
        }
        folded.setLength(0);
        int n = text.length();
        boolean number = Character.isDigit(text.charAt(i));
        int j = i;
        while (j < n) {
            char c = text.charAt(j);
            if (Character.isLetterOrDigit(c)) {
                fold(c, folded);
                number &= Character.isDigit(c);
                j++;
            } else if ((c == '.' || c == ',') && number && j + 1 < n && Character.isDigit(text.charAt(j + 1))) {
                folded.append('.');
                j++;
            } else if (isApostrophe(c) && j + 1 < n && Character.isLetter(text.charAt(j + 1))) {
                String elided = elision(folded);
                j++;
                if (elided != null) {
                    if (elided.equals("se") && startsWordIl(j)) {
                        elided = "si";
                    }
                    add(i, j, WORD, elided);
                    return j;
                }
            } else {
                break;
            }
        }
        add(i, j, number ? NUMBER : WORD, folded.toString());
        return j;
    }

    private static @Nullable String elision(StringBuilder folded) {
        if (folded.length() > 7) {
            return null;
        }
        return switch (folded.toString()) {
            case "l" -> "le";
            case "d" -> "de";
            case "n" -> "ne";
            case "j" -> "je";
            case "m" -> "me";
            case "t" -> "te";
            case "s" -> "se";
            case "c" -> "ce";
            case "qu" -> "que";
            case "jusqu" -> "jusque";
            case "lorsqu" -> "lorsque";
            case "puisqu" -> "puisque";
            case "quoiqu" -> "quoique";
            case "presqu" -> "presque";
            default -> null;
        };
    }

    private boolean startsWordIl(int j) {
        int n = text.length();
        if (j + 1 >= n
                || Character.toLowerCase(text.charAt(j)) != 'i'
                || Character.toLowerCase(text.charAt(j + 1)) != 'l') {
            return false;
        }
        int k = j + 2;
        if (k < n && Character.toLowerCase(text.charAt(k)) == 's') {
            k++;
        }
        return k >= n || !Character.isLetter(text.charAt(k));
    }

    /** « A.T.C.D. », « H.T.A », « p.o. »: single letters each followed by a dot, as one word. */
    private int acronym(int i, StringBuilder folded) {
        int n = text.length();
        int j = i;
        int letters = 0;
        while (j + 1 < n && Character.isLetter(text.charAt(j)) && text.charAt(j + 1) == '.') {
            letters++;
            j += 2;
        }
        if (letters == 0) {
            return -1;
        }
        boolean endsWithDot = true;
        if (j < n
                && Character.isLetter(text.charAt(j))
                && (j + 1 >= n || !Character.isLetterOrDigit(text.charAt(j + 1)))) {
            letters++;
            j++;
            endsWithDot = false;
        }
        if (letters < 2) {
            return -1;
        }
        folded.setLength(0);
        for (int k = i; k < j; k++) {
            char c = text.charAt(k);
            if (c != '.') {
                fold(c, folded);
            }
        }
        if (endsWithDot && capitalizedWordFollows(j)) {
            add(i, j - 1, WORD, folded.toString());
            add(j - 1, j, STOP, ".");
        } else {
            add(i, j, WORD, folded.toString());
        }
        return j;
    }

    private boolean capitalizedWordFollows(int j) {
        int n = text.length();
        int k = j;
        while (k < n && (text.charAt(k) == ' ' || text.charAt(k) == '\t' || text.charAt(k) == '\u00A0')) {
            k++;
        }
        return k + 1 < n && Character.isUpperCase(text.charAt(k)) && Character.isLowerCase(text.charAt(k + 1));
    }

    private void add(int start, int end, byte kind, String norm) {
        if (size == starts.length) {
            int capacity = size * 2;
            starts = Arrays.copyOf(starts, capacity);
            ends = Arrays.copyOf(ends, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
            norms = Arrays.copyOf(norms, capacity);
        }
        starts[size] = start;
        ends[size] = end;
        kinds[size] = kind;
        norms[size] = norm;
        size++;
    }
}
