package org.carnet.ingestion;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.carnet.record.Change;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

/**
 * HL7 v2.5 lab results ({@code ORU^R01}) and document messages ({@code MDM^T02/T10/T11}), received over MLLP or as
 * files. A message carrying a CDA files it as a DMP document, its visibility flags becoming security labels, a
 * replacement replacing and a deletion deleting the document it names. Numeric results become a DiagnosticReport
 * with its Observations and, when no CDA came with them, a plain-text rendering filed as the report's document.
 */
@Component
class Hl7Connector implements Connector {

    static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    @Override
    public String name() {
        return "hl7v2";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        String name = fileName.toLowerCase(java.util.Locale.ROOT);
        return (name.endsWith(".hl7") || name.endsWith(".er7") || name.endsWith(".txt"))
                && new String(head, StandardCharsets.ISO_8859_1).startsWith("MSH|");
    }

    @Override
    public Reading read(Inbound item) throws Refused {
        LabMessage message;
        try {
            message = Hl7Reader.read(text(item.content()));
        } catch (Hl7Exception e) {
            throw new Refused(e.getMessage());
        }
        CdaDocument cda = null;
        if (message.document() != null) {
            try {
                cda = CdaReader.read(new ByteArrayInputStream(message.document()));
            } catch (CdaException e) {
                throw new Refused("the CDA in the message: " + e.getMessage());
            }
        }
        CdaDocument document = cda;
        List<PatientClaim.Identifier> ids = message.patientIds().stream()
                .map(id -> new PatientClaim.Identifier(id.authorityOid(), id.value()))
                .toList();
        PatientClaim claim = new PatientClaim(ids, message.birthFamily(),
                message.givens().isEmpty() ? null : message.givens().get(0), message.birthDate(), message.sex());
        return new Reading(claim, (patientId, documents) -> changes(message, document, patientId, documents));
    }

    private static List<Change> changes(LabMessage message, CdaDocument cda, String patientId,
            Connector.Documents documents) throws Refused {
        if (message.action() == Action.DELETE) {
            String uniqueId = CdaDocuments.uniqueId(message.documentId() != null ? message.documentId()
                    : cda != null ? cda.uniqueId() : "");
            String filed = documents.filedUnder(uniqueId);
            if (filed == null) {
                throw new Refused("the message deletes " + uniqueId + ", which is not filed");
            }
            return List.of(new Change.Delete("DocumentReference", filed));
        }
        List<Change> changes = new ArrayList<>();
        if (cda != null) {
            changes.addAll(CdaDocuments.file(cda, message.document(), message.flags(), patientId, documents));
        }
        if (!message.results().isEmpty()) {
            changes.addAll(report(message, patientId, cda == null));
        }
        if (changes.isEmpty()) {
            throw new Refused("the message carries neither a document nor results");
        }
        return changes;
    }

    /** The DiagnosticReport and Observations of the results, and a rendered document when no CDA came with them. */
    private static List<Change> report(LabMessage message, String patientId, boolean render) {
        List<Change> changes = new ArrayList<>();
        Reference subject = new Reference("Patient/" + patientId);
        DiagnosticReport report = new DiagnosticReport();
        report.setId(UUID.randomUUID().toString());
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
        report.addCategory(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                "http://terminology.hl7.org/CodeSystem/v2-0074", "LAB", "Laboratory")));
        report.setCode(message.reportCode() == null ? new CodeableConcept().setText("Résultats de biologie")
                : new CodeableConcept(message.reportCode().toFhir()));
        report.setSubject(subject);
        if (message.orderId() != null) {
            report.addIdentifier(new Identifier().setSystem("urn:carnet:hl7v2:order:"
                    + (message.sendingFacility() == null ? "unknown" : message.sendingFacility())).setValue(message.orderId()));
        }
        if (message.observed() != null) {
            report.setEffective(new org.hl7.fhir.r4.model.DateTimeType(Date.from(message.observed())));
            report.setIssued(Date.from(message.observed()));
        }
        StringBuilder rendered = new StringBuilder(report.getCode().getCodingFirstRep().hasDisplay()
                ? report.getCode().getCodingFirstRep().getDisplay() : "Résultats de biologie").append('\n');
        for (Result result : message.results()) {
            Observation observation = observation(result, subject, message);
            changes.add(new Change.Create(observation));
            report.addResult(new Reference("Observation/" + observation.getIdElement().getIdPart()));
            rendered.append(line(result)).append('\n');
        }
        changes.add(0, new Change.Create(report));
        if (render) {
            changes.add(new Change.Create(rendering(message, report, subject, rendered.toString())));
        }
        return changes;
    }

    private static Observation observation(Result result, Reference subject, LabMessage message) {
        Observation observation = new Observation();
        observation.setId(UUID.randomUUID().toString());
        observation.setStatus("C".equals(result.status()) ? Observation.ObservationStatus.CORRECTED
                : "P".equals(result.status()) ? Observation.ObservationStatus.PRELIMINARY
                : Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                OBSERVATION_CATEGORY, "laboratory", "Laboratory")));
        observation.setCode(new CodeableConcept(result.code().toFhir()));
        observation.setSubject(subject);
        var at = result.observed() != null ? result.observed() : message.observed();
        if (at != null) {
            observation.setEffective(new org.hl7.fhir.r4.model.DateTimeType(Date.from(at)));
        }
        if (result.numeric() != null) {
            Quantity quantity = new Quantity().setValue(result.numeric());
            if (result.unit() != null) {
                quantity.setUnit(result.unit()).setSystem("http://unitsofmeasure.org").setCode(result.unit());
            }
            observation.setValue(quantity);
        } else if (result.value() != null) {
            observation.setValue(new StringType(result.value()));
        }
        if (result.referenceRange() != null) {
            observation.addReferenceRange().setText(result.referenceRange());
        }
        if (result.abnormalFlag() != null && !result.abnormalFlag().isBlank()) {
            observation.addInterpretation(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                    "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", result.abnormalFlag(), null)));
        }
        return observation;
    }

    private static Resource rendering(LabMessage message, DiagnosticReport report, Reference subject, String text) {
        DocumentReference doc = new DocumentReference();
        doc.setId(UUID.randomUUID().toString());
        doc.setMasterIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:carnet:hl7v2:"
                + (message.sendingApplication() == null ? "unknown" : message.sendingApplication()) + ":"
                + message.controlId()));
        doc.setStatus(DocumentReferenceStatus.CURRENT);
        doc.setType(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                "http://loinc.org", "11502-2", "CR d'examens biologiques")));
        doc.setSubject(subject);
        doc.setDate(report.hasIssued() ? report.getIssued() : new Date());
        doc.setDescription(report.getCode().getCodingFirstRep().hasDisplay()
                ? report.getCode().getCodingFirstRep().getDisplay() : "Résultats de biologie");
        doc.getContext().addRelated(new Reference("DiagnosticReport/" + report.getIdElement().getIdPart()));
        doc.addContent().getAttachment().setContentType("text/plain; charset=utf-8").setLanguage("fr-FR")
                .setTitle(doc.getDescription()).setData(text.getBytes(StandardCharsets.UTF_8));
        return doc;
    }

    private static String line(Result result) {
        String name = result.code().display() != null ? result.code().display() : result.code().code();
        StringBuilder line = new StringBuilder(name).append(" : ").append(result.value() == null ? "" : result.value());
        if (result.unit() != null) {
            line.append(' ').append(result.unit());
        }
        if (result.referenceRange() != null) {
            line.append(" (").append(result.referenceRange()).append(')');
        }
        if (result.abnormalFlag() != null && !result.abnormalFlag().isBlank() && !"N".equals(result.abnormalFlag())) {
            line.append(' ').append(result.abnormalFlag());
        }
        return line.toString();
    }

    /** HL7 v2 text: UTF-8 when it decodes as such, else ISO 8859-1 (the French extensions' usual charset). */
    static String text(byte[] content) {
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(content)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(content, StandardCharsets.ISO_8859_1);
        }
    }
}
