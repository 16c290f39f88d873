package org.carnet.ingestion.hl7v2;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.carnet.ingestion.cda.Coding;

/**
 * What Carnet keeps of an inbound ORU^R01 or MDM message: its header, the patient's identity, the order, the
 * results and the embedded document with its DMP visibility flags. Immutable; {@link #toString()} leaves out
 * identities, names and contents so that the record can be logged.
 *
 * @param messageType MSH-9.1 and MSH-9.2, e.g. {@code ORU^R01}, {@code MDM^T10}
 * @param action from OBX-11 of the document row ({@code C} replace, {@code D} delete), else the MDM event
 *     ({@code T10} replace, {@code T11} delete), else ORC-1 ({@code RO} replace, {@code CA} delete)
 * @param documentId the id of the document transmitted, replaced or deleted: TXA-12, else the CDA's
 *     {@code ClinicalDocument/id} ({@code root}, or {@code root^extension}); null when neither is given
 * @param replacedDocumentId for {@link Action#REPLACE} only: TXA-13, else the CDA's
 *     {@code relatedDocument[@typeCode=RPLC]/parentDocument/id}; else null
 * @param patientIds PID-3, at least one
 * @param birthFamily PID-5 family name of the legal (type {@code L}) name, else of the first name
 * @param givens the given names of that name: the French list of birth given names of PID-5.3, else PID-5.2
 * @param birthDate PID-7; null when absent or known only to the month or year
 * @param ordererIdNat the IdNat_PS of the orderer (OBR-16, else ORC-12), when that is how it is identified
 * @param orderId OBR-3 (the laboratory's number), else OBR-2, else ORC-3 or ORC-2
 * @param reportCode OBR-4, else the code of the document row
 * @param observed OBR-7, else TXA-4
 * @param sent MSH-7, the time the message was sent (orders a batch of files by their message time)
 * @param orders the orders (OBR) in message order, each with its results; results sent without an OBR form one
 *     order without id or code
 * @param documents every ED row that is not DMP metadata, decoded (CDA, PDF, text, image), in message order
 * @param movement the French movement segment (ZBE) when present, else null
 * @param flags the DMP visibility flags set to {@code Y}: {@code MASQUE_PS}, {@code INVISIBLE_PATIENT},
 *     {@code INVISIBLE_REPRESENTANTS_LEGAUX}
 */
record LabMessage(
        String controlId,
        @org.jspecify.annotations.Nullable String sendingApplication,
        @org.jspecify.annotations.Nullable String sendingFacility,
        String messageType,
        Action action,
        @org.jspecify.annotations.Nullable String documentId,
        @org.jspecify.annotations.Nullable String replacedDocumentId,
        List<PatientId> patientIds,
        @org.jspecify.annotations.Nullable String birthFamily,
        List<String> givens,
        @org.jspecify.annotations.Nullable LocalDate birthDate,
        @org.jspecify.annotations.Nullable String sex,
        @org.jspecify.annotations.Nullable String ordererIdNat,
        @org.jspecify.annotations.Nullable String ordererFamily,
        @org.jspecify.annotations.Nullable String ordererGiven,
        @org.jspecify.annotations.Nullable String orderId,
        @org.jspecify.annotations.Nullable Coding reportCode,
        @org.jspecify.annotations.Nullable Instant observed,
        @org.jspecify.annotations.Nullable Instant sent,
        List<LabOrder> orders,
        List<EmbeddedDocument> documents,
        @org.jspecify.annotations.Nullable Movement movement,
        Set<String> flags) {

    public LabMessage {
        Objects.requireNonNull(controlId, "controlId");
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(action, "action");
        if (patientIds == null || patientIds.isEmpty()) {
            throw new IllegalArgumentException("a lab message needs a patient identifier");
        }
        patientIds = List.copyOf(patientIds);
        givens = givens == null ? List.of() : List.copyOf(givens);
        orders = orders == null ? List.of() : List.copyOf(orders);
        documents = documents == null ? List.of() : List.copyOf(documents);
        flags = flags == null ? Set.of() : Set.copyOf(flags);
    }

    /**
     * A patient movement as the French PAM profile's ZBE segment gives it.
     *
     * @param id ZBE-1, the movement's identifier
     * @param at ZBE-2, when the movement took place
     * @param action ZBE-4: {@code INSERT}, {@code UPDATE} or {@code CANCEL}
     * @param wardCode ZBE-7.10, the responsible medical unit's (UF) code
     * @param wardName ZBE-7.1, its name
     * @param nature ZBE-9, the nature of the movement (e.g. {@code S} stay, {@code H} hospitalisation)
     * @param patientClass PV1-2 ({@code I} inpatient, {@code O} outpatient, {@code E} emergency)
     */
    public record Movement(
            @org.jspecify.annotations.Nullable String id,
            @org.jspecify.annotations.Nullable Instant at,
            @org.jspecify.annotations.Nullable String action,
            @org.jspecify.annotations.Nullable String wardCode,
            @org.jspecify.annotations.Nullable String wardName,
            @org.jspecify.annotations.Nullable String nature,
            @org.jspecify.annotations.Nullable String patientClass) {}

    /** Every result of the message, order after order. */
    public List<Result> results() {
        return orders.stream().flatMap(o -> o.results().stream()).toList();
    }

    /** The bytes of the first document, or null. */
    public byte @org.jspecify.annotations.Nullable [] document() {
        return documents.isEmpty() ? null : documents.get(0).content();
    }

    /** The media type of the first document, or null. */
    public @org.jspecify.annotations.Nullable String documentMediaType() {
        return documents.isEmpty() ? null : documents.get(0).mediaType();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LabMessage that
                && controlId.equals(that.controlId)
                && Objects.equals(sendingApplication, that.sendingApplication)
                && Objects.equals(sendingFacility, that.sendingFacility)
                && messageType.equals(that.messageType)
                && action == that.action
                && Objects.equals(documentId, that.documentId)
                && Objects.equals(replacedDocumentId, that.replacedDocumentId)
                && patientIds.equals(that.patientIds)
                && Objects.equals(birthFamily, that.birthFamily)
                && givens.equals(that.givens)
                && Objects.equals(birthDate, that.birthDate)
                && Objects.equals(sex, that.sex)
                && Objects.equals(ordererIdNat, that.ordererIdNat)
                && Objects.equals(ordererFamily, that.ordererFamily)
                && Objects.equals(ordererGiven, that.ordererGiven)
                && Objects.equals(orderId, that.orderId)
                && Objects.equals(reportCode, that.reportCode)
                && Objects.equals(observed, that.observed)
                && Objects.equals(sent, that.sent)
                && orders.equals(that.orders)
                && documents.equals(that.documents)
                && Objects.equals(movement, that.movement)
                && flags.equals(that.flags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(controlId, messageType, action, documentId, patientIds, orders, documents);
    }

    @Override
    public String toString() {
        return "LabMessage[" + messageType + " " + controlId + " from " + sendingApplication + "/" + sendingFacility
                + ", " + action + ", " + orders.size() + " orders, " + results().size() + " results, documents "
                + documents
                + ", flags " + flags
                + "]";
    }
}
