package org.carnet.identity;

/** The INSi service (or its adapter's registry) cannot answer now; the caller may retry later. */
public class InsiUnavailableException extends RuntimeException {

    public InsiUnavailableException(String message) {
        super(message);
    }
}
