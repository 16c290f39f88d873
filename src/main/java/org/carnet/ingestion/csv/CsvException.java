package org.carnet.ingestion.csv;

/** A CSV file that cannot be read at all (its header is not the expected one), with the reason. */
final class CsvException extends Exception {

    public CsvException(String reason) {
        super(reason);
    }
}
