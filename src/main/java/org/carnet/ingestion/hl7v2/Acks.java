package org.carnet.ingestion.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v25.datatype.HD;
import ca.uhn.hl7v2.model.v25.message.ACK;
import ca.uhn.hl7v2.model.v25.segment.ERR;
import ca.uhn.hl7v2.model.v25.segment.MSA;
import ca.uhn.hl7v2.model.v25.segment.MSH;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.carnet.ingestion.cda.Hl7Time;

/**
 * Original-mode acknowledgements built from the raw MSH of the inbound message, so that a message HAPI cannot
 * parse is answered too. The ACK goes back to the sender (MSH-5/6 are its MSH-3/4), echoes its trigger event,
 * processing id, version, country and character set, and references its control id in MSA-2. With AE or AR
 * an ERR carries the text and the HL7 error code (table 0357) that says what was wrong: 200 an unsupported message
 * type, 101 a required field missing, 102 a value that does not read as its type (malformed XML, base64, a date),
 * 204 a patient Carnet does not know (the item waits in quarantine), 207 anything else.
 */
final class Acks {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
    private static final String SELF = "CARNET";

    private Acks() {}

    static String build(
            MshHeader inbound, AckCode code, @org.jspecify.annotations.Nullable String text, java.time.Instant at) {
        try {
            ACK ack = new ACK();
            header(ack.getMSH(), inbound, at);
            MSA msa = ack.getMSA();
            msa.getAcknowledgmentCode().setValue(code.name());
            msa.getMessageControlID().setValue(orElse(inbound.get(10, 1), ""));
            if (text != null && !text.isBlank()) {
                msa.getTextMessage().setValue(text);
            }
            if (code != AckCode.AA) {
                ERR err = ack.getERR();
                String[] error = error(text);
                err.getHL7ErrorCode().getIdentifier().setValue(error[0]);
                err.getHL7ErrorCode().getText().setValue(error[1]);
                err.getHL7ErrorCode().getNameOfCodingSystem().setValue("HL70357");
                err.getSeverity().setValue("E");
                if (text != null && !text.isBlank()) {
                    err.getUserMessage().setValue(text);
                }
            }
            return Hl7Segments.parser().encode(ack);
        } catch (HL7Exception e) {
            throw new IllegalStateException("cannot build an ACK", e);
        }
    }

    /** The HL7 table 0357 code and text for a reason, as Carnet's readers and ingestion word them. */
    static String[] error(@org.jspecify.annotations.Nullable String text) {
        String reason =
                text == null ? "" : text.toLowerCase(java.util.Locale.ROOT).replaceFirst("^refused: ", "");
        if (reason.contains("unsupported message type") || reason.startsWith("no message type")) {
            return new String[] {"200", "Unsupported message type"};
        }
        if (reason.contains("quarantine")) {
            return new String[] {"204", "Unknown key identifier"};
        }
        if (reason.contains("not well-formed")
                || reason.contains("not valid")
                || reason.contains("invalid")
                || reason.contains("unsupported encoding")
                || reason.contains("not a cda document")) {
            return new String[] {"102", "Data type error"};
        }
        if (reason.startsWith("no ") || reason.contains(": no ") || reason.contains("has no data")) {
            return new String[] {"101", "Required field missing"};
        }
        return new String[] {"207", "Application internal error"};
    }

    private static void header(MSH msh, MshHeader inbound, java.time.Instant at) throws HL7Exception {
        msh.getFieldSeparator().setValue("|");
        msh.getEncodingCharacters().setValue("^~\\&");
        copy(inbound, 5, msh.getSendingApplication(), SELF);
        copy(inbound, 6, msh.getSendingFacility(), SELF);
        copy(inbound, 3, msh.getReceivingApplication(), null);
        copy(inbound, 4, msh.getReceivingFacility(), null);
        msh.getDateTimeOfMessage().getTime().setValue(at.atZone(Hl7Time.FRANCE).format(TIMESTAMP));
        msh.getMessageType().getMessageCode().setValue("ACK");
        msh.getMessageType().getTriggerEvent().setValue(inbound.get(9, 2));
        msh.getMessageType().getMessageStructure().setValue("ACK");
        msh.getMessageControlID()
                .setValue(UUID.randomUUID().toString().replace("-", "").substring(0, 20));
        msh.getProcessingID().getProcessingID().setValue(orElse(inbound.get(11, 1), "P"));
        msh.getVersionID().getVersionID().setValue(orElse(inbound.get(12, 1), "2.5"));
        msh.getCountryCode().setValue(inbound.get(17, 1));
        if (inbound.get(18, 1) != null) {
            msh.getCharacterSet(0).setValue(inbound.get(18, 1));
        }
    }

    /** An HD field of the inbound MSH (namespace, universal id, its type) into one of the ACK's. */
    private static void copy(MshHeader inbound, int field, HD into, @org.jspecify.annotations.Nullable String fallback)
            throws HL7Exception {
        String namespace = inbound.get(field, 1);
        into.getNamespaceID().setValue(namespace == null && inbound.get(field, 2) == null ? fallback : namespace);
        into.getUniversalID().setValue(inbound.get(field, 2));
        into.getUniversalIDType().setValue(inbound.get(field, 3));
    }

    private static String orElse(@org.jspecify.annotations.Nullable String value, String fallback) {
        return value == null ? fallback : value;
    }
}
