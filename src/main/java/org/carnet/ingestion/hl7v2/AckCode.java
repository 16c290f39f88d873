package org.carnet.ingestion.hl7v2;

/** MSA-1 of an HL7 v2 acknowledgement (original mode, table 0008). */
enum AckCode {
    /** Application accept: the message was taken in. */
    AA,
    /** Application error: the message was read but its content could not be processed; the sender may correct it. */
    AE,
    /** Application reject: the message type, event or version is not handled, or it could not be read at all. */
    AR
}
