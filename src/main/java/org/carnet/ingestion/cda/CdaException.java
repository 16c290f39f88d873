package org.carnet.ingestion.cda;

/**
 * A CDA document that cannot be filed, with the reason in plain English for the sender ({@code "no document id
 * (ClinicalDocument/id)"}). The reason names the element at fault and never carries the document's clinical
 * content beyond the offending value.
 */
public final class CdaException extends Exception {

    public CdaException(String reason) {
        super(reason);
    }

    CdaException(String reason, @org.jspecify.annotations.Nullable Throwable cause) {
        super(reason, cause);
    }
}
