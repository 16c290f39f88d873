package org.carnet.ingestion;

/** An item a connector cannot file, with the precise reason (it goes to the dead-letter list with it). */
public final class Refused extends Exception {

    public Refused(String reason) {
        super(reason);
    }
}
