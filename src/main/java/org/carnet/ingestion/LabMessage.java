package org.carnet.ingestion;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
 * @param document the decoded payload of the first ED row that is not DMP metadata (e.g. a CDA), else null
 * @param documentMediaType from OBX-5.2 and 5.3 of that row, e.g. {@code text/xml}
 * @param flags the DMP visibility flags set to {@code Y}: {@code MASQUE_PS}, {@code INVISIBLE_PATIENT},
 *     {@code INVISIBLE_REPRESENTANTS_LEGAUX}
 */
public record LabMessage(
        String controlId,
        String sendingApplication,
        String sendingFacility,
        String messageType,
        Action action,
        String documentId,
        String replacedDocumentId,
        List<PatientId> patientIds,
        String birthFamily,
        List<String> givens,
        LocalDate birthDate,
        String sex,
        String ordererIdNat,
        String ordererFamily,
        String ordererGiven,
        String orderId,
        Coding reportCode,
        Instant observed,
        List<Result> results,
        byte[] document,
        String documentMediaType,
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
        results = results == null ? List.of() : List.copyOf(results);
        flags = flags == null ? Set.of() : Set.copyOf(flags);
        document = document == null ? null : document.clone();
    }

    /** A copy of the decoded document, or null. */
    @Override
    public byte[] document() {
        return document == null ? null : document.clone();
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
                && results.equals(that.results)
                && Arrays.equals(document, that.document)
                && Objects.equals(documentMediaType, that.documentMediaType)
                && flags.equals(that.flags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(controlId, messageType, action, documentId, patientIds, results, Arrays.hashCode(document));
    }

    @Override
    public String toString() {
        return "LabMessage[" + messageType + " " + controlId + " from " + sendingApplication + "/" + sendingFacility
                + ", " + action + ", " + results.size() + " results, document "
                + (document == null ? "none" : document.length + " bytes " + documentMediaType) + ", flags " + flags
                + "]";
    }
}
