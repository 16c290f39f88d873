package org.carnet.identity;

/** A matricule INS that breaks a rule; the message says which part is wrong and why. */
public final class InvalidInsException extends IllegalArgumentException {

    InvalidInsException(String message) {
        super(message);
    }
}
