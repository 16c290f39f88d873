package org.carnet.document;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.carnet.record.Visibility;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Reference;

/**
 * What may change in a filed document, and who may change it (ADR 0010): the rules {@link DocumentIntake} applies to
 * a new version. Content, unique id and subject never change; after filing, professionals change only the status and
 * the archiving flag (the author) and the visibility (through {@code $mask} / {@code $unmask}); a trusted system may
 * correct the producer's other metadata. Stateless.
 */
final class DocumentLifecycle {

    private DocumentLifecycle() {}

    /**
     * A new document's DMP visibility codes hold both where PDSm puts them ({@code securityLabel}) and where the
     * access decision reads them ({@code meta.security}), whichever the sender used. Later changes go through
     * {@code $mask} / {@code $unmask}, which keep both.
     */
    static void mirrorVisibility(DocumentReference doc) {
        Set<String> codes = new java.util.TreeSet<>();
        doc.getSecurityLabel().forEach(label -> label.getCoding().forEach(c -> codes.add(c.getCode())));
        doc.getMeta().getSecurity().forEach(c -> codes.add(c.getCode()));
        codes.retainAll(DocumentIntake.VISIBILITY_CODES);
        for (String code : codes) {
            if (doc.getMeta().getSecurity().stream().noneMatch(c -> code.equals(c.getCode()))) {
                doc.getMeta().addSecurity(DocumentIntake.VISIBILITY_SYSTEM, code, null);
            }
            if (doc.getSecurityLabel().stream()
                    .flatMap(l -> l.getCoding().stream())
                    .noneMatch(c -> code.equals(c.getCode()))) {
                doc.addSecurityLabel(new org.hl7.fhir.r4.model.CodeableConcept(
                        new org.hl7.fhir.r4.model.Coding(DocumentIntake.VISIBILITY_SYSTEM, code, null)));
            }
        }
    }

    static void checkLifecycle(
            DocumentReference previous, DocumentReference next, Visibility visibility, Set<String> actor) {
        // Each content sent must be one the document has (by its URL, or by its bytes when sent again inline, as a
        // source re-sending the same Bundle does); the document keeps its contents as they are, text included.
        Set<String> urls = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (var content : previous.getContent()) {
            urls.add(content.getAttachment().getUrl());
            hashes.add(content.getAttachment().getHashElement().getValueAsString());
        }
        for (var content : next.getContent()) {
            Attachment attachment = content.getAttachment();
            boolean known = attachment.hasData()
                    ? hashes.contains(DocumentContents.sha1Base64(attachment.getData()))
                    : urls.contains(attachment.getUrl());
            if (!known) {
                throw new UnprocessableEntityException(
                        "A document's content never changes: publish a replacement (relatesTo replaces) instead");
            }
        }
        next.setContent(new ArrayList<>(
                previous.getContent().stream().map(c -> c.copy()).toList()));
        for (var tag : previous.getMeta().getTag()) {
            if (DocumentIntake.DOCUMENT_FLAGS.equals(tag.getSystem())
                    && next.getMeta().getTag(DocumentIntake.DOCUMENT_FLAGS, tag.getCode()) == null) {
                next.getMeta().addTag(tag.copy()); // what Carnet found in the content stays with it
            }
        }
        if (!java.util.Objects.equals(
                previous.getSubject().getReference(), next.getSubject().getReference())) {
            throw new UnprocessableEntityException(
                    "A document's subject never changes: withdraw it and file it in the " + "right record");
        }
        if (!visibility.unrestricted() && !visibilityCodes(previous).equals(visibilityCodes(next))) {
            throw new ForbiddenOperationException("Visibility labels change only through $mask and $unmask");
        }
        if (next.getStatus() != previous.getStatus()) {
            requireAuthor(
                    previous,
                    next.getStatus() == DocumentReferenceStatus.ENTEREDINERROR ? "withdraw" : "change the status of",
                    visibility,
                    actor);
        }
        if (!archived(previous).equals(archived(next))) {
            requireAuthor(previous, "archive or unarchive", visibility, actor);
        }
        if (next.getStatus() == DocumentReferenceStatus.SUPERSEDED
                && previous.getStatus() != DocumentReferenceStatus.SUPERSEDED) {
            throw new UnprocessableEntityException("A document is superseded by filing its replacement "
                    + "(relatesTo replaces), not by a change of its status");
        }
        if (!visibility.unrestricted() && !sameExceptStatus(previous, next)) {
            throw new ForbiddenOperationException("After filing, a document's status changes (by its author) and its "
                    + "visibility (through $mask and $unmask); its other metadata is its producer's");
        }
    }

    /** Whether two versions differ at most in what may change after filing: status, archiving, and the bookkeeping. */
    private static boolean sameExceptStatus(DocumentReference previous, DocumentReference next) {
        DocumentReference a = previous.copy();
        DocumentReference b = next.copy();
        for (DocumentReference version : List.of(a, b)) {
            version.setIdElement(null);
            version.setMeta(null);
            version.setText(null);
            version.setStatus(null);
            version.getExtension().removeIf(e -> IS_ARCHIVED.equals(e.getUrl()));
        }
        return a.equalsDeep(b);
    }

    private static String archived(DocumentReference doc) {
        return doc.getExtension().stream()
                .filter(e -> IS_ARCHIVED.equals(e.getUrl()))
                .map(e -> String.valueOf(
                        e.getValue() == null ? null : e.getValue().primitiveValue()))
                .findFirst()
                .orElse("false");
    }

    /** PDSm's archiving flag, which the author may set after filing. */
    static final String IS_ARCHIVED =
            "https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived";

    static void requireSubject(DocumentReference doc) {
        org.hl7.fhir.r4.model.Reference subject = doc.getSubject();
        if (!subject.hasReference()
                && subject.hasIdentifier()
                && subject.getIdentifier().hasValue()) {
            // A logical reference by identifier (PDSm ITI-105): resolved like a conditional reference, within what
            // the caller may see.
            org.hl7.fhir.r4.model.Identifier id = subject.getIdentifier();
            subject.setReference("Patient?identifier="
                    + java.net.URLEncoder.encode(
                            (id.hasSystem() ? id.getSystem() + "|" : "") + id.getValue(),
                            java.nio.charset.StandardCharsets.UTF_8));
        }
        if (!subject.hasReference()) {
            throw new UnprocessableEntityException(
                    "A document is filed in a patient's record: DocumentReference.subject "
                            + "(Patient/<id>, or the patient's identifier) is required");
        }
    }

    private static Set<String> visibilityCodes(DocumentReference doc) {
        Set<String> codes = new java.util.TreeSet<>();
        doc.getSecurityLabel().forEach(label -> label.getCoding().forEach(c -> codes.add(c.getCode())));
        codes.retainAll(DocumentIntake.VISIBILITY_CODES);
        return codes;
    }

    static void requireAuthor(DocumentReference doc, String action, Visibility visibility, Set<String> actor) {
        if (visibility.unrestricted()) {
            return;
        }
        boolean author = doc.getAuthor().stream()
                .map(Reference::getReference)
                .anyMatch(ref -> ref != null
                        && ref.startsWith("Practitioner/")
                        && actor.contains(ref.substring("Practitioner/".length())));
        if (!author) {
            throw new ForbiddenOperationException("Only the document's author may " + action + " it");
        }
    }
}
