package org.carnet.ingestion.hl7v2;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.ingestion.Connector;
import org.carnet.ingestion.Inbound;
import org.carnet.ingestion.PatientClaim;
import org.carnet.ingestion.Refused;
import org.carnet.ingestion.cda.CdaDocument;
import org.carnet.ingestion.cda.CdaDocuments;
import org.carnet.ingestion.cda.CdaException;
import org.carnet.ingestion.cda.CdaReader;
import org.carnet.ingestion.cda.Coding;
import org.carnet.ingestion.cda.Hl7Time;
import org.carnet.record.Change;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * HL7 v2.5 lab results ({@code ORU^R01}) and document messages ({@code MDM^T02/T04/T10/T11}), received over MLLP or as
 * files. Every document a message carries in an {@code ED} row is filed: a CDA as a DMP document (its header's
 * metadata), a PDF, text or image as a document of the message's type and date (the document intake keeps a PDF's
 * text for search); the visibility flags become security labels, a replacement replaces and a deletion deletes the
 * document it names. Each order (OBR) with results becomes its own DiagnosticReport with its Observations and, when
 * the message carries no document, a plain-text rendering filed as the report's document. All of a message is filed
 * in one unit, or none of it.
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

    /** MSH-7, the time the message was built (the sender's clock, read in Europe/Paris without an offset). */
    @Override
    public java.time.@org.jspecify.annotations.Nullable Instant messageTime(byte[] head) {
        try {
            return Hl7Time.instant(
                    MshHeader.of(new String(head, StandardCharsets.ISO_8859_1)).get(7, 1));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    @Override
    public Reading read(Inbound item) throws Refused {
        LabMessage message;
        try {
            message = Hl7Reader.read(text(item.content()));
        } catch (Hl7Exception e) {
            throw new Refused(java.util.Objects.requireNonNull(e.getMessage(), "an Hl7Exception has its reason"));
        }
        Map<EmbeddedDocument, CdaDocument> cdas = new LinkedHashMap<>();
        for (EmbeddedDocument document : message.documents()) {
            if (document.isCda()) {
                try {
                    cdas.put(document, CdaReader.read(new ByteArrayInputStream(document.content())));
                } catch (CdaException e) {
                    throw new Refused(document.label() + ": the CDA in the message: " + e.getMessage());
                }
            }
        }
        List<PatientClaim.Identifier> ids = message.patientIds().stream()
                .map(id -> new PatientClaim.Identifier(id.authorityOid(), id.value()))
                .toList();
        PatientClaim claim = new PatientClaim(
                ids,
                message.birthFamily(),
                message.givens().isEmpty() ? null : message.givens().get(0),
                message.birthDate(),
                message.sex());
        return new Reading(claim, (patientId, documents) -> changes(message, cdas, patientId, documents));
    }

    private static List<Change> changes(
            LabMessage message,
            Map<EmbeddedDocument, CdaDocument> cdas,
            String patientId,
            Connector.Documents documents)
            throws Refused {
        if (message.action() == Action.DELETE) {
            CdaDocument cda = cdas.isEmpty() ? null : cdas.values().iterator().next();
            String uniqueId = CdaDocuments.uniqueId(
                    message.documentId() != null ? message.documentId() : cda != null ? cda.uniqueId() : "");
            String filed = documents.filedUnder(uniqueId, patientId);
            if (filed == null) {
                throw new Refused("the message deletes " + uniqueId + ", which is not filed");
            }
            return List.of(new Change.Delete("DocumentReference", filed));
        }
        List<Change> changes = new ArrayList<>();
        Reference subject = new Reference("Patient/" + patientId);
        Encounter encounter = Hl7Encounters.of(message, patientId);
        if (encounter != null) {
            changes.add(new Change.Update(encounter, null));
        }
        List<DiagnosticReport> reports = new ArrayList<>();
        for (LabOrder order : message.orders()) {
            if (order.results().isEmpty()) {
                reports.add(null);
                continue;
            }
            if (order.results().stream().anyMatch(r -> r.code() == null)) {
                // an Observation says what it measures
                throw new Refused("no observation identifier (OBX-3) on a result row");
            }
            List<Change> orderChanges = report(
                    message, order, subject, encounter, message.documents().isEmpty());
            reports.add((DiagnosticReport) ((Change.Create) orderChanges.get(0)).resource());
            changes.addAll(orderChanges);
        }
        for (EmbeddedDocument document : message.documents()) {
            CdaDocument cda = cdas.get(document);
            DiagnosticReport report =
                    document.order() >= 0 && document.order() < reports.size() ? reports.get(document.order()) : null;
            if (cda != null) {
                changes.addAll(CdaDocuments.file(cda, document.content(), message.flags(), patientId, documents));
            } else {
                changes.add(Hl7Documents.file(message, document, report, encounter, patientId, documents));
            }
        }
        if (changes.isEmpty() || changes.size() == 1 && encounter != null) {
            throw new Refused("the message carries neither a document nor results");
        }
        return CdaDocuments.distinct(changes);
    }

    /** An order's DiagnosticReport and Observations, and a rendered document when the message carries none. */
    private static List<Change> report(
            LabMessage message,
            LabOrder order,
            Reference subject,
            @org.jspecify.annotations.Nullable Encounter encounter,
            boolean render) {
        List<Change> changes = new ArrayList<>();
        DiagnosticReport report = new DiagnosticReport();
        report.setId(UUID.randomUUID().toString());
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
        report.addCategory(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                "http://terminology.hl7.org/CodeSystem/v2-0074", "LAB", "Laboratory")));
        Coding code = order.code() != null ? order.code() : message.reportCode();
        report.setCode(
                code == null
                        ? new CodeableConcept().setText("Résultats de biologie")
                        : new CodeableConcept(code.toFhir()));
        report.setSubject(subject);
        if (encounter != null) {
            report.setEncounter(
                    new Reference("Encounter/" + encounter.getIdElement().getIdPart()));
        }
        String orderId = order.id() != null ? order.id() : message.orderId();
        if (orderId != null) {
            report.addIdentifier(new Identifier()
                    .setSystem("urn:carnet:hl7v2:order:"
                            + (message.sendingFacility() == null ? "unknown" : message.sendingFacility()))
                    .setValue(orderId));
        }
        var observed = order.observed() != null ? order.observed() : message.observed();
        if (observed != null) {
            report.setEffective(new org.hl7.fhir.r4.model.DateTimeType(Date.from(observed)));
            report.setIssued(Date.from(observed));
        }
        StringBuilder rendered = new StringBuilder(
                        report.getCode().getCodingFirstRep().hasDisplay()
                                ? report.getCode().getCodingFirstRep().getDisplay()
                                : "Résultats de biologie")
                .append('\n');
        for (Result result : order.results()) {
            Observation observation = observation(result, subject, report, message);
            changes.add(new Change.Create(observation));
            report.addResult(
                    new Reference("Observation/" + observation.getIdElement().getIdPart()));
            rendered.append(line(result)).append('\n');
        }
        changes.add(0, new Change.Create(report));
        if (render) {
            changes.add(new Change.Create(rendering(message, order, report, subject, rendered.toString())));
        }
        return changes;
    }

    private static Observation observation(
            Result result, Reference subject, DiagnosticReport report, LabMessage message) {
        Observation observation = new Observation();
        observation.setId(UUID.randomUUID().toString());
        observation.setStatus(
                "C".equals(result.status())
                        ? Observation.ObservationStatus.CORRECTED
                        : "P".equals(result.status())
                                ? Observation.ObservationStatus.PRELIMINARY
                                : Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(
                new org.hl7.fhir.r4.model.Coding(OBSERVATION_CATEGORY, "laboratory", "Laboratory")));
        observation.setCode(new CodeableConcept(code(result).toFhir()));
        observation.setSubject(subject);
        if (report.hasEncounter()) {
            observation.setEncounter(report.getEncounter().copy());
        }
        var at = result.observed() != null ? result.observed() : message.observed();
        if (at != null) {
            observation.setEffective(new org.hl7.fhir.r4.model.DateTimeType(Date.from(at)));
        }
        observation.setValue(ResultValues.of(result));
        if (result.referenceRange() != null) {
            observation.addReferenceRange().setText(result.referenceRange());
        }
        if (result.abnormalFlag() != null && !result.abnormalFlag().isBlank()) {
            observation.addInterpretation(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                    "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                    result.abnormalFlag(),
                    null)));
        }
        return observation;
    }

    private static Resource rendering(
            LabMessage message, LabOrder order, DiagnosticReport report, Reference subject, String text) {
        DocumentReference doc = new DocumentReference();
        doc.setId(UUID.randomUUID().toString());
        // The first order's rendering keeps the id it always had; the others are told apart by their order number.
        int index = message.orders().indexOf(order);
        String suffix = index <= 0 ? "" : ":" + (order.id() != null ? order.id() : "order-" + (index + 1));
        doc.setMasterIdentifier(new Identifier()
                .setSystem("urn:ietf:rfc:3986")
                .setValue("urn:carnet:hl7v2:"
                        + (message.sendingApplication() == null ? "unknown" : message.sendingApplication()) + ":"
                        + message.controlId() + suffix));
        doc.setStatus(DocumentReferenceStatus.CURRENT);
        doc.setType(new CodeableConcept(
                new org.hl7.fhir.r4.model.Coding("http://loinc.org", "11502-2", "CR d'examens biologiques")));
        doc.setSubject(subject);
        if (report.hasIssued()) {
            doc.setDate(report.getIssued()); // else the document intake dates it when it files it
        }
        doc.setDescription(
                report.getCode().getCodingFirstRep().hasDisplay()
                        ? report.getCode().getCodingFirstRep().getDisplay()
                        : "Résultats de biologie");
        doc.getContext()
                .addRelated(new Reference(
                        "DiagnosticReport/" + report.getIdElement().getIdPart()));
        doc.addContent()
                .getAttachment()
                .setContentType("text/plain; charset=utf-8")
                .setLanguage("fr-FR")
                .setTitle(doc.getDescription())
                .setData(text.getBytes(StandardCharsets.UTF_8));
        return doc;
    }

    /** A result's code: {@link #changes} refuses a message with a result row without one. */
    private static Coding code(Result result) {
        return java.util.Objects.requireNonNull(result.code(), "a result filed has its code (OBX-3)");
    }

    private static String line(Result result) {
        Coding code = code(result);
        String name = code.display() != null ? code.display() : code.code();
        StringBuilder line = new StringBuilder(name).append(" : ").append(result.value() == null ? "" : result.value());
        if (result.unitLabel() != null) {
            line.append(' ').append(result.unitLabel());
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
