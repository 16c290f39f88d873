package org.carnet.ingestion.pdf;

import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.carnet.ingestion.Connector;
import org.carnet.ingestion.Inbound;
import org.carnet.ingestion.PatientClaim;
import org.carnet.ingestion.Refused;
import org.carnet.ingestion.Sidecars;
import org.carnet.record.Change;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * PDF documents with their sidecar ({@link Sidecars}): filed as a DocumentReference whose content is the PDF. The
 * document intake adds its text (PDFBox) as a second, plain-text content for search, tags a scan without text, and
 * refuses a damaged or encrypted PDF with the reason, as for a PDF sent through the FHIR API.
 */
@Component
class PdfConnector implements Connector {

    @Override
    public String name() {
        return "pdf";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".pdf");
    }

    @Override
    public Reading read(Inbound item) throws Refused {
        Sidecars.Parts parts;
        try {
            parts = Sidecars.split(item.content());
        } catch (IOException | IllegalArgumentException e) {
            throw new Refused("unreadable sidecar: " + e.getMessage());
        }
        Properties meta = parts.sidecar();
        if (meta == null) {
            throw new Refused("a PDF needs its sidecar " + item.source() + Sidecars.SUFFIX
                    + " naming the patient (ins, or family, given, birthdate, sex) and the document");
        }
        List<PatientClaim.Identifier> ids = new ArrayList<>();
        if (meta.getProperty("ins") != null) {
            ids.add(new PatientClaim.Identifier(
                    meta.getProperty("ins-oid", "1.2.250.1.213.1.4.8"), meta.getProperty("ins")));
        }
        LocalDate birthDate;
        try {
            birthDate = meta.getProperty("birthdate") == null ? null : LocalDate.parse(meta.getProperty("birthdate"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new Refused("sidecar birthdate is not a date (YYYY-MM-DD): " + meta.getProperty("birthdate"));
        }
        PatientClaim claim = new PatientClaim(
                ids, meta.getProperty("family"), meta.getProperty("given"), birthDate, meta.getProperty("sex"));
        return new Reading(
                claim,
                (patientId, documents) ->
                        List.of(new Change.Create(document(meta, parts.pdf(), patientId, documents))));
    }

    private static DocumentReference document(
            Properties meta, byte[] bytes, String patientId, Connector.Documents documents) throws Refused {
        DocumentReference doc = new DocumentReference();
        doc.setId(UUID.randomUUID().toString());
        String uniqueId = meta.getProperty("unique-id", "urn:carnet:pdf:sha256:" + sha256(bytes));
        doc.setMasterIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue(uniqueId));
        doc.setStatus(DocumentReferenceStatus.CURRENT);
        String title = meta.getProperty("title", "Document PDF");
        doc.setType(
                meta.getProperty("type") == null
                        ? new CodeableConcept().setText(title)
                        : new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                                "http://loinc.org", meta.getProperty("type"), meta.getProperty("type-display"))));
        doc.setSubject(new Reference("Patient/" + patientId));
        doc.setDate(date(meta.getProperty("date")));
        doc.setDescription(title);
        String author = meta.getProperty("author-idnat");
        String practitioner = author == null ? null : documents.practitioner(author);
        if (practitioner != null) {
            doc.addAuthor(new Reference("Practitioner/" + practitioner));
        }
        // The document intake reads its text (PdfContentText) and tags a scan.
        doc.addContent()
                .getAttachment()
                .setContentType("application/pdf")
                .setTitle(title)
                .setData(bytes);
        return doc;
    }

    private static @org.jspecify.annotations.Nullable Date date(@org.jspecify.annotations.Nullable String value)
            throws Refused {
        if (value == null) {
            return null; // the intake dates the reference
        }
        try {
            return value.length() == 10
                    ? Date.from(LocalDate.parse(value).atStartOfDay(FRANCE).toInstant())
                    : Date.from(OffsetDateTime.parse(value).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            throw new Refused("sidecar date is not an ISO date or date-time: " + value);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
