package org.carnet.ingestion.hl7v2;

/**
 * An inbound HL7 v2 message that Carnet cannot take in. The message is the reason, precise enough to return to the
 * sender in an ACK (e.g. {@code unsupported message type ADT^A01}, {@code no patient identifier (PID-3)}); it
 * names fields, never quotes patient data.
 */
final class Hl7Exception extends Exception {

    public Hl7Exception(String reason) {
        super(reason);
    }

    Hl7Exception(String reason, Throwable cause) {
        super(reason, cause);
    }
}
