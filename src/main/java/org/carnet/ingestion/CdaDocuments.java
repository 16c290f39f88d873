package org.carnet.ingestion;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.carnet.document.DocumentIntake;
import org.carnet.record.Change;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;

/**
 * A CI-SIS CDA document as the DMP files it: a DocumentReference with the header's metadata, the CDA itself as the
 * content, and its narrative as a second, plain-text content kept for search. Shared by the CDA and HL7 v2
 * connectors (an ORU or MDM message carries a CDA).
 */
final class CdaDocuments {

    static final String IDNAT_PS = "urn:oid:1.2.250.1.71.4.2.1";
    static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

    private CdaDocuments() {}

    /** The patient a CDA says it is about. */
    static PatientClaim claim(CdaDocument cda) {
        List<PatientClaim.Identifier> ids = cda.patientIds().stream()
                .map(id -> new PatientClaim.Identifier(id.root(), id.extension()))
                .toList();
        return new PatientClaim(ids, cda.birthFamily(), cda.givens().isEmpty() ? null : cda.givens().get(0),
                cda.birthDate(), cda.sex());
    }

    /** A document's unique id as the DMP writes it in masterIdentifier: {@code urn:oid:…} or {@code urn:uuid:…}. */
    static String uniqueId(String cdaId) {
        String root = cdaId.contains("^") ? cdaId.substring(0, cdaId.indexOf('^')) : cdaId;
        if (root.matches("[0-2](\\.[0-9]+)+")) {
            return "urn:oid:" + cdaId;
        }
        if (root.matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            return "urn:uuid:" + cdaId.toLowerCase(java.util.Locale.ROOT);
        }
        return cdaId;
    }

    /**
     * The changes filing a CDA for a patient: the DocumentReference (replacing the document the CDA names, when it is
     * filed) with the CDA and its narrative as contents.
     */
    static List<Change> file(CdaDocument cda, byte[] xml, Set<String> flags, String patientId,
            Connector.Documents documents) {
        DocumentReference doc = new DocumentReference();
        doc.setId(UUID.randomUUID().toString());
        doc.setMasterIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue(uniqueId(cda.uniqueId())));
        doc.setStatus(DocumentReferenceStatus.CURRENT);
        doc.setType(new CodeableConcept(cda.type().toFhir()));
        doc.setSubject(new Reference("Patient/" + patientId));
        doc.setDate(Date.from(cda.created()));
        doc.setDescription(cda.title());
        List<Practitioner> contained = new ArrayList<>();
        for (Author author : cda.authors()) {
            doc.addAuthor(practitioner(author, documents, contained, "author" + contained.size()));
        }
        if (cda.legalAuthenticator() != null) {
            doc.setAuthenticator(practitioner(cda.legalAuthenticator(), documents, contained, "authenticator"));
        }
        contained.forEach(doc::addContained);
        if (cda.confidentiality() != null) {
            doc.addSecurityLabel(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                    CONFIDENTIALITY, cda.confidentiality().code(), cda.confidentiality().display())));
        }
        for (String flag : flags) {
            // the document intake mirrors these into meta.security, where the access decision reads them
            doc.addSecurityLabel(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                    DocumentIntake.VISIBILITY_SYSTEM, flag, null)));
        }
        DocumentReference.DocumentReferenceContextComponent context = doc.getContext();
        if (cda.serviceStart() != null || cda.serviceEnd() != null) {
            context.setPeriod(new Period().setStartElement(dateTime(cda.serviceStart()))
                    .setEndElement(dateTime(cda.serviceEnd())));
        }
        cda.eventCodes().forEach(code -> context.addEvent(new CodeableConcept(code.toFhir())));
        if (cda.facilityType() != null) {
            context.setFacilityType(new CodeableConcept(cda.facilityType().toFhir()));
        }
        if (cda.practiceSetting() != null) {
            context.setPracticeSetting(new CodeableConcept(cda.practiceSetting().toFhir()));
        }
        var content = doc.addContent().getAttachment().setContentType("text/xml").setData(xml).setTitle(cda.title());
        content.setLanguage(cda.language());
        content.setCreationElement(dateTime(cda.created()));
        String text = cda.narrative().isBlank() ? embeddedText(cda, doc) : cda.narrative();
        if (!text.isBlank()) {
            doc.addContent().getAttachment().setContentType("text/plain; charset=utf-8")
                    .setTitle("Texte du document (pour la recherche)")
                    .setData(text.getBytes(StandardCharsets.UTF_8));
        }
        if (cda.replaces() != null) {
            // The replaced version may never have reached Carnet (sent before, or elsewhere): then the new one is
            // filed as current and names the one it replaces by unique id only.
            String replaced = documents.filedUnder(uniqueId(cda.replaces()));
            Reference target = replaced != null ? new Reference("DocumentReference/" + replaced)
                    : new Reference().setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986")
                            .setValue(uniqueId(cda.replaces())));
            doc.addRelatesTo().setCode(DocumentReference.DocumentRelationshipType.REPLACES).setTarget(target);
        }
        return List.of(new Change.Create(doc));
    }

    /**
     * The text of a level 1 CDA's embedded PDF, read as an uploaded PDF's is (ADR 0010): a scan is tagged
     * {@code sans-texte}, a PDF with some pages without text {@code texte-partiel}, a PDF that cannot be read
     * {@code contenu-illisible}; the CDA itself is filed as sent whatever its PDF holds.
     */
    private static String embeddedText(CdaDocument cda, DocumentReference doc) {
        if (cda.embedded() == null || cda.embeddedMediaType() == null
                || !cda.embeddedMediaType().toLowerCase(java.util.Locale.ROOT).startsWith("application/pdf")) {
            return "";
        }
        java.nio.file.Path temp = null;
        try {
            temp = java.nio.file.Files.createTempFile("carnet-cda-pdf-", ".pdf");
            java.nio.file.Files.write(temp, cda.embedded());
            PdfContent pdf = PdfText.read(temp);
            if (pdf.scanned()) {
                doc.getMeta().addTag(DocumentIntake.DOCUMENT_FLAGS, "sans-texte", "Pages numérisées, sans texte");
            } else if (!pdf.pagesWithoutText().isEmpty()) {
                doc.getMeta().addTag(DocumentIntake.DOCUMENT_FLAGS, "texte-partiel", "Certaines pages sans texte");
            }
            return pdf.text();
        } catch (PdfException e) {
            String reason = e.getMessage().length() > 200 ? e.getMessage().substring(0, 200) : e.getMessage();
            doc.getMeta().addTag(DocumentIntake.DOCUMENT_FLAGS, "contenu-illisible",
                    "Contenu illisible comme application/pdf : " + reason);
            return "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (temp != null) {
                try {
                    java.nio.file.Files.deleteIfExists(temp);
                } catch (java.io.IOException ignored) {
                    // a temporary file left behind is removed by the system's cleaner
                }
            }
        }
    }

    /** A reference to the directory's Practitioner with that IdNat_PS, or a contained one when it is not there. */
    private static Reference practitioner(Author author, Connector.Documents documents, List<Practitioner> contained,
            String localId) {
        String idNat = author.idExtension();
        String known = idNat != null && author.idRoot() != null && author.idRoot().equals(IDNAT_PS.substring(8))
                ? documents.practitioner(idNat) : null;
        if (known != null) {
            return new Reference("Practitioner/" + known);
        }
        Practitioner practitioner = new Practitioner();
        practitioner.setId(localId);
        if (idNat != null) {
            practitioner.addIdentifier().setSystem(author.idRoot() == null ? null : "urn:oid:" + author.idRoot())
                    .setValue(idNat);
        }
        var name = practitioner.addName().setFamily(author.family());
        if (author.given() != null) {
            name.addGiven(author.given());
        }
        contained.add(practitioner);
        return new Reference("#" + localId);
    }

    private static DateTimeType dateTime(Instant instant) {
        return instant == null ? null : new DateTimeType(Date.from(instant));
    }
}
