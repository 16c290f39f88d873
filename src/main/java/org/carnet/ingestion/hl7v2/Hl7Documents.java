package org.carnet.ingestion.hl7v2;

import java.util.Date;
import java.util.UUID;
import org.carnet.ingestion.Connector;
import org.carnet.ingestion.cda.CdaDocuments;
import org.carnet.ingestion.cda.Coding;
import org.carnet.record.Change;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * A document an HL7 v2 message carries that is not a CDA (a PDF letter, a text, an image) as the shared record files
 * it: a DocumentReference with the message's metadata and the bytes as its content, which the document intake then
 * treats as any upload (a PDF's text kept for search, a scan tagged {@code sans-texte}).
 */
final class Hl7Documents {

    private Hl7Documents() {}

    static Change file(
            LabMessage message,
            EmbeddedDocument document,
            @org.jspecify.annotations.Nullable DiagnosticReport report,
            @org.jspecify.annotations.Nullable Encounter encounter,
            String patientId,
            Connector.Documents documents) {
        DocumentReference doc = new DocumentReference();
        doc.setId(UUID.randomUUID().toString());
        doc.setMasterIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue(uniqueId(message, document)));
        doc.setStatus(DocumentReferenceStatus.CURRENT);
        Coding type =
                document.code() != null && document.code().code() != null ? document.code() : message.reportCode();
        if (type != null) {
            doc.setType(new CodeableConcept(type.toFhir()));
        }
        doc.setSubject(new Reference("Patient/" + patientId));
        var at = message.observed() != null ? message.observed() : message.sent();
        if (at != null) {
            doc.setDate(Date.from(at));
        }
        String title = type != null && type.display() != null ? type.display() : "Document transmis en HL7 v2";
        doc.setDescription(title);
        for (String flag : message.flags()) {
            // the document intake mirrors these into meta.security, where the access decision reads them
            doc.addSecurityLabel(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                    org.carnet.document.DocumentIntake.VISIBILITY_SYSTEM, flag, null)));
        }
        if (report != null) {
            doc.getContext()
                    .addRelated(new Reference(
                            "DiagnosticReport/" + report.getIdElement().getIdPart()));
        }
        if (encounter != null) {
            doc.getContext()
                    .addEncounter(new Reference(
                            "Encounter/" + encounter.getIdElement().getIdPart()));
        }
        doc.addContent()
                .getAttachment()
                .setContentType(document.mediaType())
                .setLanguage("fr-FR")
                .setTitle(title)
                .setData(document.content());
        if (message.action() == Action.REPLACE && message.replacedDocumentId() != null) {
            String replacedId = CdaDocuments.uniqueId(message.replacedDocumentId());
            String replaced = documents.filedUnder(replacedId, patientId);
            Reference target = replaced != null
                    ? new Reference("DocumentReference/" + replaced)
                    : new Reference()
                            .setIdentifier(new Identifier()
                                    .setSystem("urn:ietf:rfc:3986")
                                    .setValue(replacedId));
            doc.addRelatesTo()
                    .setCode(DocumentReference.DocumentRelationshipType.REPLACES)
                    .setTarget(target);
        }
        return new Change.Create(doc);
    }

    /**
     * The document's unique id: TXA-12 when the message carries this one document (an MDM), else the message's own
     * (sending application, control id) and the row, so that the same message sent again is the same document.
     */
    static String uniqueId(LabMessage message, EmbeddedDocument document) {
        if (message.documents().size() == 1 && message.documentId() != null) {
            return CdaDocuments.uniqueId(message.documentId());
        }
        return "urn:carnet:hl7v2:" + (message.sendingApplication() == null ? "unknown" : message.sendingApplication())
                + ":" + message.controlId() + ":" + document.label().replace(' ', '-');
    }
}
