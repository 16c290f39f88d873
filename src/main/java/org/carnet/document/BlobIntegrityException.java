package org.carnet.document;

import java.io.IOException;

/** A stored content does not read back as it was written (tampering, corruption, or the wrong key). */
public class BlobIntegrityException extends IOException {

    private static final long serialVersionUID = 1L;

    public BlobIntegrityException(String message) {
        super(message);
    }

    public BlobIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
