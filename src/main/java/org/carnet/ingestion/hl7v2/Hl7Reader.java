package org.carnet.ingestion.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import java.util.regex.Pattern;

/**
 * Reads inbound HL7 v2 lab messages, ORU^R01 and MDM^T02/T04/T10/T11 as French laboratories and document
 * producers send them (ANS profile "transmission de documents CDA en HL7 v2"), and writes the acknowledgements
 * that answer them.
 *
 * <p>Contract: segments may end with {@code \r} (the standard), {@code \n} or {@code \r\n}. Parsing is done by
 * HAPI with the v2.5 structures, validation off, so that the French extensions (PRT, extra components, v2.6 MDM)
 * are read rather than refused; what Carnet needs is then checked, each failure an {@link Hl7Exception} with a
 * precise reason. The rules that choose each value are on {@link LabMessage}.
 *
 * <p>Thread-safety: stateless, safe to call from any thread. Security: the message is trusted no more than its
 * transport; an embedded CDA is read without DTDs or external entities, and only for its ids. Reasons and
 * {@link LabMessage#toString()} name fields, not patient data, so they can be logged.
 */
final class Hl7Reader {

    /** MSH, the field separator, four or five encoding characters (2.7 adds one), the field separator again. */
    private static final Pattern DELIMITERS = Pattern.compile("MSH([^\\s\\w])[^\\s\\w]{4,5}\\1");

    private static final Pattern QUOTE = Pattern.compile("\\s*The following is the first.*$", Pattern.DOTALL);

    private Hl7Reader() {}

    /** Parses an ORU^R01 or MDM^T02/T04/T10/T11 message. */
    public static LabMessage read(String message) throws Hl7Exception {
        if (message == null || message.isBlank()) {
            throw new Hl7Exception("not an HL7 v2 message: empty");
        }
        String text = Hl7Escapes.resolveHex(segmentsEndingWithCarriageReturn(message));
        if (!text.startsWith("MSH")) {
            throw new Hl7Exception("not an HL7 v2 message: it does not start with an MSH segment");
        }
        if (!DELIMITERS.matcher(text).lookingAt()) {
            throw new Hl7Exception("not an HL7 v2 message: no delimiters in MSH-1 and MSH-2");
        }
        Message parsed;
        try {
            parsed = Hl7Segments.parser().parse(text);
        } catch (HL7Exception | RuntimeException e) {
            throw new Hl7Exception("not an HL7 v2 message: " + withoutQuote(e.getMessage()), e);
        }
        return LabMessages.from(parsed);
    }

    /**
     * An ACK (MSH + MSA, and ERR when not AA) answering an inbound message; when the inbound cannot even be parsed,
     * a best-effort ACK built from its MSH fields or defaults. {@code text} (may be null) goes in MSA-3 and ERR-8,
     * so it must not contain patient data. {@code at} is the time of the answer (MSH-7, in France's zone).
     */
    public static String ack(
            String inbound, AckCode code, @org.jspecify.annotations.Nullable String text, java.time.Instant at) {
        return Acks.build(MshHeader.of(inbound), code, text, at);
    }

    /** HAPI quotes the start of a message it cannot parse, which may hold patient data. */
    private static String withoutQuote(@org.jspecify.annotations.Nullable String reason) {
        return reason == null ? "" : QUOTE.matcher(reason).replaceFirst("");
    }

    private static String segmentsEndingWithCarriageReturn(String message) {
        String text = message.strip();
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        return text.replace("\r\n", "\r").replace('\n', '\r');
    }
}
