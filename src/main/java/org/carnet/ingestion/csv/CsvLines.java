package org.carnet.ingestion.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a delimited text file (RFC 4180, with a chosen separator), read one at a time through a fixed
 * buffer: memory holds one record, never the file.
 *
 * <p>A field may be enclosed in double quotes, and must be to contain the separator, a quote (doubled) or a line
 * break; line ends are CRLF, LF or a lone CR; a UTF-8 byte-order mark before the first record is skipped. A
 * syntax fault (a quote inside an unquoted field, text after a closing quote, a quote never closed) does not stop
 * the reading: the record is returned with the fault, and the next one starts where this one ends. A record longer
 * than {@link #MAX_CHARS} is returned as a fault and reading resumes at the next line end, quotes or not, so that
 * a quote left open cannot swallow the rest of a large file. Not thread-safe.
 */
final class CsvLines {

    /** The longest record read; a reimbursement line is about a hundred characters. */
    static final int MAX_CHARS = 65_536;

    /**
     * One record.
     *
     * @param number the 1-based line number it starts on
     * @param fields its fields, unquoted; empty when the record is too long
     * @param faultyField the 0-based index of the field a syntax fault is in; -1 when none or not one field's
     * @param fault the syntax fault; {@code null} when none
     */
    record Line(
            long number,
            List<String> fields,
            int faultyField,
            @org.jspecify.annotations.Nullable String fault) {}

    private final Reader in;
    private final char separator;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private long lineNumber = 1;
    private boolean started;

    CsvLines(Reader in, char separator) {
        this.in = in;
        this.separator = separator;
    }

    /** The next record; {@code null} at the end of the input. */
    @org.jspecify.annotations.Nullable
    Line next() throws IOException {
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') {
                read();
            }
        }
        int c = read();
        if (c < 0) {
            return null;
        }
        long number = lineNumber;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int faultyField = -1;
        String fault = null;
        boolean quoted = false;
        boolean closed = false;
        int chars = 0;
        while (true) {
            if (++chars > MAX_CHARS) {
                skipRestOfLine(c);
                return new Line(
                        number, List.of(), -1, "longer than " + MAX_CHARS + " characters (is a quote left open?)");
            }
            if (c < 0) {
                if (quoted && fault == null) {
                    faultyField = fields.size();
                    fault = "the quoted field opened on this line is not closed by the end of the file";
                }
                fields.add(field.toString());
                return new Line(number, fields, faultyField, fault);
            }
            if (quoted) {
                if (c == '"' && peek() == '"') {
                    read();
                    field.append('"');
                } else if (c == '"') {
                    quoted = false;
                    closed = true;
                } else {
                    field.append((char) c);
                    if (lineEnd(c, field)) {
                        lineNumber++;
                    }
                }
            } else if (c == separator) {
                fields.add(field.toString());
                field.setLength(0);
                closed = false;
            } else if (c == '\r' || c == '\n') {
                lineEnd(c, null);
                lineNumber++;
                fields.add(field.toString());
                return new Line(number, fields, faultyField, fault);
            } else if (c == '"' && field.isEmpty() && !closed) {
                quoted = true;
            } else {
                if (fault == null && (closed || c == '"')) {
                    faultyField = fields.size();
                    fault = closed
                            ? "text after the closing quote (a quote inside a quoted field is doubled)"
                            : "a quote inside an unquoted field (enclose the field in quotes and double the quote)";
                }
                field.append((char) c);
            }
            c = read();
        }
    }

    /** Whether {@code c} ends a line; a CR followed by LF is one line end, the LF then consumed (and kept). */
    private boolean lineEnd(int c, @org.jspecify.annotations.Nullable StringBuilder keep) throws IOException {
        if (c == '\r' && peek() == '\n') {
            read();
            if (keep != null) {
                keep.append('\n');
            }
            return true;
        }
        return c == '\r' || c == '\n';
    }

    private void skipRestOfLine(int c) throws IOException {
        while (c >= 0 && c != '\r' && c != '\n') {
            c = read();
        }
        if (c >= 0) {
            lineEnd(c, null);
            lineNumber++;
        }
    }

    private int read() throws IOException {
        return position < limit || fill() ? buffer[position++] : -1;
    }

    private int peek() throws IOException {
        return position < limit || fill() ? buffer[position] : -1;
    }

    private boolean fill() throws IOException {
        int read;
        do {
            read = in.read(buffer);
        } while (read == 0);
        position = 0;
        limit = Math.max(read, 0);
        return read > 0;
    }
}
