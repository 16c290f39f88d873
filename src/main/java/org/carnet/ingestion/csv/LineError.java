package org.carnet.ingestion.csv;

import java.util.Objects;

/**
 * A line of a CSV file that was not read, and why.
 *
 * @param line the 1-based number of the line in the file (the header is line 1); for a record spread over several
 *     lines by a quoted line break, the line it starts on
 * @param reason what is wrong, naming the column, e.g. {@code column montant: '12,x' is not an amount ...}
 */
record LineError(long line, String reason) {

    public LineError {
        if (line < 1) {
            throw new IllegalArgumentException("line numbers start at 1, not " + line);
        }
        Objects.requireNonNull(reason, "reason");
    }
}
