package org.carnet.ingestion.pdf;

/** A file {@link PdfText} cannot read, with the reason in words a person can act on. */
public final class PdfException extends Exception {

    public PdfException(String reason) {
        super(reason);
    }

    PdfException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
