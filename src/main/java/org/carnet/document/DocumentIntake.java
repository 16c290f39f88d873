package org.carnet.document;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.carnet.record.Applied;
import org.carnet.record.Change;
import org.carnet.record.RecordReads;
import org.carnet.record.UnitLocks;
import org.carnet.record.UnitRules;
import org.carnet.record.Visibility;
import org.carnet.record.WriteScope;
import org.carnet.record.Written;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.DocumentReference.DocumentReferenceRelatesToComponent;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way documents enter the record, whatever the route (FHIR create, transaction Bundle, ITI-65, ITI-105,
 * connectors): every write unit that holds a document passes here on its way to the store (a {@link UnitRules} of
 * {@link org.carnet.record.RecordWrites}, so no writer goes around it), and this class applies the
 * shared record's rules (BRIEF.md "The shared record", ADR 0010) to the DocumentReference and Binary changes in it.
 *
 * <ul>
 *   <li><b>Content</b> goes to the blob store, never into the stored JSON: inline {@code attachment.data} (ITI-105)
 *       and Binary entries of the unit (ITI-65) become {@code Binary/<id>} contents; {@code attachment.url},
 *       {@code size} and {@code hash} (SHA-1, as FHIR R4 defines it) are set by the server. A content uploaded
 *       before (raw {@code POST Binary}) is claimed by the DocumentReference that names it.
 *   <li><b>Once</b>: the unique id ({@code masterIdentifier}, given one when absent) is filed once; a second arrival
 *       of the same unique id stores nothing and is reported as a duplicate of the first.
 *   <li><b>Lifecycle</b>: status defaults to {@code current} and date to now; {@code relatesTo replaces} supersedes
 *       the replaced document in the same unit (named by reference, or by unique id when it may not be filed); a document's unique id and content never change (a new content is a replacement);
 *       only its author (or a trusted system) replaces, withdraws ({@code entered-in-error}) or deletes it.
 * </ul>
 * Other changes pass through untouched. Runs inside the caller's transaction.
 */
@Component
public class DocumentIntake implements UnitRules {

    /** The identifier system of unique ids given by Carnet (a URN, as IHE MHD's uniqueId). */
    public static final String URI_SYSTEM = "urn:ietf:rfc:3986";

    /** The DMP visibility codes (ANS TRE_A07-StatutVisibiliteDocument), as labels on a document. */
    public static final String VISIBILITY_SYSTEM =
            "https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument";

    /** Tags of documents as Carnet received them ({@code sans-texte}: a scan, no text to search). */
    public static final String DOCUMENT_FLAGS = "https://carnet.example.org/fhir/CodeSystem/document-flags";

    /** Contents read for their text up to this size when they come as a raw upload (larger ones are not read). */
    static final long MAX_TEXT_READ_BYTES = 64L * 1024 * 1024;

    /** The visibility codes the access decision acts on. */
    public static final Set<String> VISIBILITY_CODES =
            Set.of("MASQUE_PS", "INVISIBLE_PATIENT", "INVISIBLE_REPRESENTANTS_LEGAUX");

    private final RecordReads vault;
    private final UnitLocks locks;
    private final DocumentContents contents;
    private final JdbcTemplate jdbc;
    private final List<ContentText> readers;
    private final Clock clock;

    DocumentIntake(
            RecordReads vault,
            UnitLocks locks,
            DocumentContents contents,
            JdbcTemplate jdbc,
            List<ContentText> readers,
            Clock clock) {
        this.vault = vault;
        this.locks = locks;
        this.contents = contents;
        this.jdbc = jdbc;
        this.readers = List.copyOf(readers);
        this.clock = clock;
    }

    @Override
    public boolean concerns(List<Change> changes) {
        return new Unit(changes).touchesDocuments();
    }

    /**
     * Applies a write unit that holds documents. The writer's Practitioner ids serve the author-only rules (unused
     * when the visibility is unrestricted: trusted systems act for the producers).
     */
    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public Applied apply(List<Change> changes, WriteScope scope, Store store) {
        Visibility visibility = scope.visibility();
        Set<String> actorPractitioners = scope.practitionerIds();
        Unit unit = new Unit(changes);
        Map<Integer, String> duplicates = new HashMap<>();
        Map<String, Binary> binaries = unit.binaries();
        Set<String> claimedBinaries = new HashSet<>();
        List<PendingContent> pendingContents = new ArrayList<>();
        List<Change> extra = new ArrayList<>();
        Set<String> uniqueIds = new HashSet<>();
        Map<String, String> newIdentities = new HashMap<>();
        Map<Integer, String> duplicateBinaries = new HashMap<>();
        for (int c = 0; c < changes.size(); c++) {
            Change change = changes.get(c);
            if (change instanceof Change.Delete delete && delete.type().equals("DocumentReference")) {
                current(delete.id(), visibility)
                        .ifPresent(
                                doc -> DocumentLifecycle.requireAuthor(doc, "delete", visibility, actorPractitioners));
            }
            DocumentReference doc = unit.document(change);
            if (doc == null) {
                continue;
            }
            if (!doc.getIdElement().hasIdPart()) {
                doc.setId(UUID.randomUUID().toString());
            }
            String docId = doc.getIdElement().getIdPart();
            DocumentReference previous =
                    change instanceof Change.Update ? current(docId, visibility).orElse(null) : null;
            if (change instanceof Change.Update && previous == null) {
                if (deleted(docId, visibility)) {
                    throw new ResourceGoneException("DocumentReference/" + docId
                            + " was deleted by its author: a deleted " + "document stays deleted (file a new one)");
                }
                if (!visibility.unrestricted()) {
                    continue; // unknown or hidden: the store answers exactly as for any unknown id
                }
            }
            DocumentLifecycle.requireSubject(doc);
            String uniqueId = uniqueId(doc, previous);
            if (!uniqueIds.add(uniqueId)) {
                throw new UnprocessableEntityException("Two documents of this request have the unique id " + uniqueId);
            }
            locks.serializeOn("document:" + uniqueId);
            String existing = filedUnder(uniqueId, visibility);
            if (existing != null && !existing.equals(docId)) {
                checkDuplicate(doc, existing, uniqueId, binaries, visibility);
                duplicates.put(c, existing);
                for (DocumentReference.DocumentReferenceContentComponent content : doc.getContent()) {
                    String url = content.getAttachment().getUrl();
                    Binary binary = url != null && url.startsWith("Binary/") ? binaries.get(url.substring(7)) : null;
                    if (binary != null && claimedBinaries.add(url.substring(7))) {
                        duplicateBinaries.put(unit.binaryChange.get(binary), existing);
                    }
                }
                continue;
            }
            if (!doc.hasStatus()) {
                doc.setStatus(DocumentReferenceStatus.CURRENT);
            }
            if (previous == null) {
                DocumentLifecycle.mirrorVisibility(doc);
            }
            if (!doc.hasDate() && previous == null) {
                doc.setDate(java.util.Date.from(
                        clock.instant())); // when the reference was made, as FHIR defines DocumentReference.date
            }
            if (previous != null) {
                DocumentLifecycle.checkLifecycle(previous, doc, visibility, actorPractitioners);
            }
            for (DocumentReferenceRelatesToComponent relation : doc.getRelatesTo()) {
                if (relation.getCode() == DocumentReference.DocumentRelationshipType.REPLACES && previous == null) {
                    Change superseded = supersede(doc, relation.getTarget(), visibility, actorPractitioners);
                    if (superseded != null) {
                        extra.add(superseded);
                    }
                }
            }
            if (!doc.hasContent() && previous == null) {
                throw new UnprocessableEntityException("A document needs its content (content.attachment)");
            }
            if (previous == null) {
                List<PendingContent> attached = new ArrayList<>();
                for (DocumentReference.DocumentReferenceContentComponent content : List.copyOf(doc.getContent())) {
                    attached.add(attach(docId, content.getAttachment(), binaries, unit.binaryChange, claimedBinaries));
                }
                java.util.Optional<Attachment> text = addText(doc, attached);
                if (text.isPresent()) {
                    attached.add(attach(docId, text.get(), binaries, unit.binaryChange, claimedBinaries));
                }
                pendingContents.addAll(attached);
            }
            if (existing == null) {
                newIdentities.put(docId, uniqueId);
            }
        }
        for (String binaryId : binaries.keySet()) {
            if (!claimedBinaries.contains(binaryId)) {
                throw new UnprocessableEntityException(
                        "Binary/" + binaryId + " is not the content of any DocumentReference "
                                + "of this request: a Binary is stored only as a document's content (send it with the "
                                + "DocumentReference whose content.attachment.url names it, or inline as attachment.data)");
            }
        }
        redirect(changes, duplicates);
        List<Change> toApply = new ArrayList<>();
        List<Integer> applied = new ArrayList<>();
        for (int c = 0; c < changes.size(); c++) {
            Change change = changes.get(c);
            boolean binary = !(change instanceof Change.Delete) && change.type().equals("Binary");
            if (!duplicates.containsKey(c) && !binary) {
                toApply.add(change);
                applied.add(c);
            }
        }
        toApply.addAll(extra);
        List<Written> written = store.apply(toApply);
        Written[] results = new Written[changes.size()];
        for (int i = 0; i < applied.size(); i++) {
            results[applied.get(i)] = written.get(i);
        }
        Map<String, String> patientOfDoc = new HashMap<>();
        for (Written w : written) {
            if (w.type().equals("DocumentReference") && w.resource() != null) {
                patientOfDoc.put(w.id(), w.patientId());
            }
        }
        newIdentities.forEach((docId, uniqueId) -> jdbc.update(
                "insert into document_identity (unique_id, docref_id, patient_id) values (?, ?, ?)",
                uniqueId,
                docId,
                java.util.Objects.requireNonNullElse(patientOfDoc.get(docId), "")));
        for (PendingContent pending : pendingContents) {
            String patient = patientOfDoc.get(pending.docId());
            if (pending.bytes() != null || pending.claim() != null) {
                if (patient == null) {
                    throw new UnprocessableEntityException("DocumentReference/" + pending.docId()
                            + " has content but no subject: a document is filed in a patient's record");
                }
                if (pending.bytes() != null) {
                    // attach gives a content with bytes its Binary id and its media type
                    contents.store(
                            patient,
                            pending.docId(),
                            java.util.Objects.requireNonNull(pending.binaryId(), "a content with bytes has its id"),
                            java.util.Objects.requireNonNull(
                                    pending.contentType(), "a content with bytes has its media type"),
                            new ByteArrayInputStream(pending.bytes()));
                } else if (pending.claim() != null) {
                    claim(pending.claim(), pending.docId(), patient);
                }
            }
            if (pending.fromBinaryChange() != null) {
                results[pending.fromBinaryChange()] = binaryWritten(
                        java.util.Objects.requireNonNull(pending.binaryId(), "a content from a Binary has its id"),
                        pending.contentType(),
                        true,
                        patient);
            }
        }
        for (int c = 0; c < changes.size(); c++) {
            if (duplicates.containsKey(c)) {
                results[c] = existingWritten(duplicates.get(c));
            }
        }
        duplicateBinaries.forEach((c, docId) -> {
            DocumentContents.Content content =
                    contents.ofDocument(docId).stream().findFirst().orElse(null);
            results[c] = content == null
                    ? existingWritten(docId)
                    : binaryWritten(content.binaryId(), content.contentType(), false, content.patientId());
            duplicates.put(c, docId);
        });
        List<String> duplicateOf = new ArrayList<>();
        for (int c = 0; c < changes.size(); c++) {
            duplicateOf.add(duplicates.get(c));
        }
        return new Applied(List.of(results), duplicateOf);
    }

    /** A content to store or claim once the DocumentReference is written. */
    private record PendingContent(
            String docId,
            @org.jspecify.annotations.Nullable String binaryId,
            byte @org.jspecify.annotations.Nullable [] bytes,
            @org.jspecify.annotations.Nullable String contentType,
            @org.jspecify.annotations.Nullable String claim,
            @org.jspecify.annotations.Nullable Integer fromBinaryChange) {}

    /** How a new document's content is stored or claimed (an update keeps its contents: see DocumentLifecycle). */
    private PendingContent attach(
            String docId,
            Attachment attachment,
            Map<String, Binary> binaries,
            java.util.IdentityHashMap<Binary, Integer> binaryChange,
            Set<String> claimedBinaries) {
        byte[] bytes = null;
        Integer fromBinary = null;
        String binaryId;
        String contentType = attachment.getContentType();
        if (attachment.hasData()) {
            bytes = attachment.getData();
            binaryId = UUID.randomUUID().toString();
        } else if (attachment.hasUrl() && attachment.getUrl().startsWith("Binary/")) {
            binaryId = attachment.getUrl().substring("Binary/".length());
            Binary binary = binaries.get(binaryId);
            if (binary != null) {
                if (!claimedBinaries.add(binaryId)) {
                    throw new UnprocessableEntityException("Binary/" + binaryId + " is named by two documents");
                }
                bytes = binary.getData() == null ? new byte[0] : binary.getData();
                contentType = contentType != null ? contentType : binary.getContentType();
                fromBinary = binaryChange.get(binary);
            } else {
                DocumentContents.Content stored = contents.find(binaryId).orElseThrow(() -> unclaimable(binaryId));
                if (stored.docrefId() != null) {
                    throw unclaimable(binaryId);
                }
                attachment.setSize((int) Math.min(Integer.MAX_VALUE, stored.size()));
                attachment.setHashElement(new org.hl7.fhir.r4.model.Base64BinaryType(stored.sha1()));
                if (contentType == null) {
                    attachment.setContentType(stored.contentType());
                }
                return new PendingContent(docId, binaryId, null, attachment.getContentType(), stored.binaryId(), null);
            }
        } else {
            // Content held elsewhere (an absolute URL): Carnet files the metadata and does not fetch it.
            return new PendingContent(docId, null, null, null, null, null);
        }
        if (contentType == null || contentType.isBlank()) {
            throw new UnprocessableEntityException(
                    "content.attachment.contentType is required for a document's content");
        }
        attachment.setData(null);
        attachment.setUrl("Binary/" + binaryId);
        attachment.setContentType(contentType);
        attachment.setSize(bytes.length);
        attachment.setHashElement(new org.hl7.fhir.r4.model.Base64BinaryType(DocumentContents.sha1Base64(bytes)));
        return new PendingContent(docId, binaryId, bytes, contentType, null, fromBinary);
    }

    /**
     * The text of the document's first content a {@link ContentText} reads (a PDF), as a new plain-text attachment to
     * store with it; none when the sender gave a text already or no reader reads its contents. A scan is tagged
     * {@code sans-texte}; a content that is not what its type says (a damaged PDF) is filed as sent and tagged
     * {@code contenu-illisible} with the reason.
     */
    private java.util.Optional<Attachment> addText(DocumentReference doc, List<PendingContent> attached) {
        boolean hasText = doc.getContent().stream()
                .anyMatch(c -> c.getAttachment().getContentType() != null
                        && c.getAttachment().getContentType().startsWith("text/plain"));
        if (hasText) {
            return java.util.Optional.empty();
        }
        for (PendingContent pending : attached) {
            java.util.Optional<ContentText> reader = ContentText.forType(readers, pending.contentType());
            if (reader.isEmpty()) {
                continue;
            }
            ContentText.Extracted extracted;
            try {
                extracted = extract(reader.get(), pending);
            } catch (ContentText.UnreadableContentException e) {
                // Filed as sent (the record keeps what the producer sent), marked for whoever opens it.
                String message = java.util.Objects.requireNonNull(
                        e.getMessage(), "an UnreadableContentException has its reason");
                String reason = message.length() > 200 ? message.substring(0, 200) : message;
                doc.getMeta()
                        .addTag(
                                DOCUMENT_FLAGS,
                                "contenu-illisible",
                                "Contenu illisible comme " + pending.contentType() + " : " + reason);
                return java.util.Optional.empty();
            }
            if (extracted == null) {
                return java.util.Optional.empty();
            }
            if (extracted.withoutText()) {
                doc.getMeta().addTag(DOCUMENT_FLAGS, "sans-texte", "Pages numérisées, sans texte");
            } else if (extracted.partlyWithoutText()) {
                doc.getMeta().addTag(DOCUMENT_FLAGS, "texte-partiel", "Certaines pages sans texte");
            }
            if (extracted.text().isBlank()) {
                return java.util.Optional.empty();
            }
            Attachment text = new Attachment()
                    .setContentType("text/plain; charset=utf-8")
                    .setTitle("Texte du document (pour la recherche)")
                    .setData(extracted.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            doc.addContent().setAttachment(text);
            return java.util.Optional.of(text);
        }
        return java.util.Optional.empty();
    }

    /** The text of a content, read from a temporary file (PDFBox reads files with bounded memory); null if too big. */
    private ContentText.@org.jspecify.annotations.Nullable Extracted extract(ContentText reader, PendingContent pending)
            throws ContentText.UnreadableContentException {
        java.nio.file.Path temp = null;
        try {
            temp = java.nio.file.Files.createTempFile("carnet-content-", ".bin");
            if (pending.bytes() != null) {
                java.nio.file.Files.write(temp, pending.bytes());
            } else {
                // a content without bytes that a reader reads is a claimed upload (one held elsewhere has no type)
                DocumentContents.Content stored = contents.find(java.util.Objects.requireNonNull(
                                pending.claim(), "a content to read has bytes or a claim"))
                        .orElseThrow();
                if (stored.size() > MAX_TEXT_READ_BYTES) {
                    return null;
                }
                try (var in = contents.open(stored).orElseThrow()) {
                    java.nio.file.Files.copy(in, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return reader.extract(temp);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not read the document's content for its text", e);
        } finally {
            if (temp != null) {
                try {
                    java.nio.file.Files.deleteIfExists(temp);
                } catch (java.io.IOException ignored) {
                    // left in the temporary directory
                }
            }
        }
    }

    private void claim(String binaryId, String docId, String patient) {
        DocumentContents.Content stored = contents.find(binaryId).orElse(null);
        if (stored == null || !stored.patientId().equals(patient) || !contents.claim(binaryId, docId)) {
            throw unclaimable(binaryId);
        }
    }

    /**
     * One answer whether the upload does not exist, is another record's, or is already a document's content: which
     * of these holds is about contents the caller may not see.
     */
    static UnprocessableEntityException unclaimable(String binaryId) {
        return new UnprocessableEntityException("Binary/" + binaryId + " is not an upload waiting for a document of "
                + "this record (upload the content with POST Binary and X-Security-Context: Patient/<id>, then name it "
                + "once)");
    }

    private String uniqueId(DocumentReference doc, @org.jspecify.annotations.Nullable DocumentReference previous) {
        if (previous != null && previous.hasMasterIdentifier()) {
            if (doc.hasMasterIdentifier() && !same(previous.getMasterIdentifier(), doc.getMasterIdentifier())) {
                throw new UnprocessableEntityException(
                        "A document's unique id (masterIdentifier) never changes: publish a replacement instead");
            }
            doc.setMasterIdentifier(previous.getMasterIdentifier().copy());
        }
        if (!doc.hasMasterIdentifier() || !doc.getMasterIdentifier().hasValue()) {
            // A new random UUID, never derived from the resource id (which a client may choose, in sequence).
            doc.setMasterIdentifier(new Identifier().setSystem(URI_SYSTEM).setValue("urn:uuid:" + UUID.randomUUID()));
        }
        String value = doc.getMasterIdentifier().getValue().strip();
        if (value.length() > 256) {
            throw new UnprocessableEntityException("masterIdentifier.value is longer than 256 characters");
        }
        return value;
    }

    private static boolean same(Identifier a, Identifier b) {
        return java.util.Objects.equals(a.getValue(), b.getValue());
    }

    /**
     * The DocumentReference id filed in a patient's record under a unique id (masterIdentifier value), or null; for
     * trusted systems. Scoped to the record: two senders may reuse a unique id, and a replacement or deletion about
     * one person must never reach another person's document.
     */
    public @org.jspecify.annotations.Nullable String filedUnder(String uniqueId, String patientId) {
        return filedIn(uniqueId, patientId, Visibility.UNRESTRICTED);
    }

    /**
     * The DocumentReference filed under a unique id that the caller may see (deleted ones included, when the caller
     * would see them), or null. A document hidden from the caller does not exist for them, not even as a unique id
     * taken: their document is filed as a new one (ADR 0012).
     */
    private @org.jspecify.annotations.Nullable String filedUnder(String uniqueId, Visibility visibility) {
        return seenAmong(
                jdbc.query(
                        "select docref_id from document_identity where unique_id = ? order by docref_id",
                        (rs, row) -> rs.getString(1),
                        uniqueId),
                visibility);
    }

    /** The same, in one record only. */
    private @org.jspecify.annotations.Nullable String filedIn(
            String uniqueId, String patientId, Visibility visibility) {
        return seenAmong(
                jdbc.query(
                        "select docref_id from document_identity where unique_id = ? and patient_id = ?"
                                + " order by docref_id",
                        (rs, row) -> rs.getString(1),
                        uniqueId,
                        patientId),
                visibility);
    }

    private @org.jspecify.annotations.Nullable String seenAmong(List<String> filed, Visibility visibility) {
        for (String docId : filed) {
            if (visibility.unrestricted() || seenBy(docId, visibility)) {
                return docId;
            }
        }
        return null;
    }

    /**
     * A second arrival of a unique id is a duplicate only when it is the same document: same record, same content.
     * Anything else is a collision the sender must hear about (IHE XDS: non-identical hash, duplicate unique id), and
     * it is answered without telling anything about the document filed under that id. A caller who may not file in
     * that record gets the store's own answer for it.
     */
    private void checkDuplicate(
            DocumentReference doc,
            String existingId,
            String uniqueId,
            Map<String, Binary> binaries,
            Visibility visibility) {
        String reference = doc.getSubject().getReference();
        String patient = reference != null && reference.startsWith("Patient/") ? reference.substring(8) : null;
        if (!visibility.unrestricted()) {
            if (patient == null || !visibility.opens(patient)) {
                throw new ResourceNotFoundException(
                        (patient == null ? reference : "Patient/" + patient) + " is not known");
            }
            if (!visibility.mayWrite("DocumentReference", patient)) {
                throw new ForbiddenOperationException("You may not write DocumentReference in this record");
            }
        }
        DocumentReference existing =
                (DocumentReference) vault.read("DocumentReference", existingId, Visibility.UNRESTRICTED);
        boolean sameRecord = patient != null
                && patient.equals(existing.getSubject().getReferenceElement().getIdPart());
        boolean sameContent = !doc.getContent().isEmpty()
                && !existing.getContent().isEmpty()
                && sameContent(
                        doc.getContentFirstRep().getAttachment(),
                        existing.getContentFirstRep().getAttachment(),
                        binaries);
        if (!sameRecord || !sameContent) {
            throw new ResourceVersionConflictException("The unique id " + uniqueId + " is filed already for another "
                    + "document: nothing was filed (a new version of a document has its own unique id and relatesTo "
                    + "replaces)");
        }
    }

    /**
     * Whether an arriving content is the filed one: the same bytes, or for text and XML the same text whatever its
     * line ends (see {@link CanonicalContent}). The canonical hashes are computed only when the raw ones differ, so a
     * plain re-send costs no read of the stored content.
     */
    private boolean sameContent(Attachment arriving, Attachment filed, Map<String, Binary> binaries) {
        if (java.util.Objects.equals(contentKey(arriving, binaries), contentKey(filed, Map.of()))) {
            return true;
        }
        if (!CanonicalContent.textual(contentType(arriving, binaries))
                || !CanonicalContent.textual(filed.getContentType())) {
            return false;
        }
        String arrivingText = canonicalKey(arriving, binaries);
        return arrivingText != null && arrivingText.equals(canonicalKey(filed, Map.of()));
    }

    private static @org.jspecify.annotations.Nullable String contentType(
            Attachment attachment, Map<String, Binary> binaries) {
        if (attachment.hasContentType()) {
            return attachment.getContentType();
        }
        String url = attachment.getUrl();
        Binary inUnit =
                url != null && url.startsWith("Binary/") ? binaries.get(url.substring("Binary/".length())) : null;
        return inUnit == null ? null : inUnit.getContentType();
    }

    /** The canonical hash of a content's text, read from the request or the blob store; null when it has none. */
    private @org.jspecify.annotations.Nullable String canonicalKey(
            Attachment attachment, Map<String, Binary> binaries) {
        try {
            if (attachment.hasData()) {
                return CanonicalContent.sha1(new ByteArrayInputStream(attachment.getData()));
            }
            String url = attachment.getUrl();
            if (url == null || !url.startsWith("Binary/")) {
                return null;
            }
            Binary inUnit = binaries.get(url.substring("Binary/".length()));
            if (inUnit != null) {
                return CanonicalContent.sha1(
                        new ByteArrayInputStream(inUnit.getData() == null ? new byte[0] : inUnit.getData()));
            }
            DocumentContents.Content stored =
                    contents.find(url.substring("Binary/".length())).orElse(null);
            if (stored == null) {
                return null;
            }
            java.util.Optional<java.io.InputStream> in = contents.open(stored);
            if (in.isEmpty()) {
                return null; // its patient's key was destroyed: nothing to compare with
            }
            try (java.io.InputStream stream = in.get()) {
                return CanonicalContent.sha1(stream);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not read a document's content to compare it", e);
        }
    }

    /** What identifies a content: the SHA-1 of its bytes (as attachment.hash), or its URL when held elsewhere. */
    private String contentKey(Attachment attachment, Map<String, Binary> binaries) {
        if (attachment.hasData()) {
            return DocumentContents.sha1Base64(attachment.getData());
        }
        String url = attachment.getUrl();
        if (url != null && url.startsWith("Binary/")) {
            String id = url.substring("Binary/".length());
            Binary inUnit = binaries.get(id);
            if (inUnit != null) {
                return DocumentContents.sha1Base64(inUnit.getData() == null ? new byte[0] : inUnit.getData());
            }
            if (attachment.hasHash()) {
                return attachment.getHashElement().getValueAsString();
            }
            return contents.find(id).map(DocumentContents.Content::sha1).orElse(url);
        }
        return url;
    }

    private @org.jspecify.annotations.Nullable Change supersede(
            DocumentReference doc, Reference target, Visibility visibility, Set<String> actor) {
        if (!target.hasReference() && target.hasIdentifier()) {
            // Named by unique id: the replaced version is superseded if Carnet has it, else there is nothing to do.
            String subject = doc.getSubject().getReference();
            String filed = subject != null && subject.startsWith("Patient/")
                    ? filedIn(target.getIdentifier().getValue(), subject.substring("Patient/".length()), visibility)
                    : null;
            if (filed == null) {
                return null;
            }
            target.setReference("DocumentReference/" + filed);
        }
        String reference = target.getReference();
        if (reference == null || !reference.startsWith("DocumentReference/")) {
            throw new UnprocessableEntityException("relatesTo.target of a replacement is a reference to the "
                    + "DocumentReference it replaces (DocumentReference/<id>)");
        }
        String id = reference.substring("DocumentReference/".length());
        DocumentReference replaced = current(id, visibility)
                .orElseThrow(() -> new UnprocessableEntityException(
                        "relatesTo: " + reference + ", the document this one replaces, is not known"));
        if (replaced.getStatus() != DocumentReferenceStatus.CURRENT) {
            throw new ResourceVersionConflictException(
                    reference + " is " + replaced.getStatus().toCode() + ", not current: it cannot be replaced again");
        }
        if (!replaced.getSubject().getReference().equals(doc.getSubject().getReference())) {
            throw new UnprocessableEntityException(
                    "A replacement is filed in the same record as the document it replaces");
        }
        DocumentLifecycle.requireAuthor(replaced, "replace", visibility, actor);
        replaced.setStatus(DocumentReferenceStatus.SUPERSEDED);
        return new Change.Update(replaced, Integer.valueOf(replaced.getMeta().getVersionId()));
    }

    /** Whether the caller sees that document, live or deleted (rather than unknown or hidden: 404). */
    private boolean seenBy(String id, Visibility visibility) {
        try {
            vault.read("DocumentReference", id, visibility);
            return true;
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /** Whether the caller sees that document as deleted (410), rather than unknown or hidden (404). */
    private boolean deleted(String id, Visibility visibility) {
        try {
            vault.read("DocumentReference", id, visibility);
            return false;
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    private java.util.Optional<DocumentReference> current(String id, Visibility visibility) {
        try {
            return java.util.Optional.of((DocumentReference) vault.read("DocumentReference", id, visibility));
        } catch (ResourceNotFoundException | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
            return java.util.Optional.empty();
        }
    }

    /** The rest of a unit names the document filed first instead of the duplicate it did not store (a SubmissionSet). */
    private void redirect(List<Change> changes, Map<Integer, String> duplicates) {
        Map<String, String> moved = new HashMap<>();
        duplicates.forEach((c, existing) -> {
            if (resourceOf(changes.get(c)) instanceof DocumentReference doc) {
                moved.put("DocumentReference/" + doc.getIdElement().getIdPart(), "DocumentReference/" + existing);
            }
        });
        if (moved.isEmpty()) {
            return;
        }
        var terser = vault.fhirContext().newTerser();
        for (Change change : changes) {
            Resource resource = resourceOf(change);
            if (resource != null) {
                for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                    String target = moved.get(reference.getReference());
                    if (target != null) {
                        reference.setReference(target);
                    }
                }
            }
        }
    }

    private static @org.jspecify.annotations.Nullable Resource resourceOf(Change change) {
        return switch (change) {
            case Change.Create create -> create.resource();
            case Change.Update update -> update.resource();
            case Change.Delete delete -> null;
        };
    }

    private Written binaryWritten(
            String id,
            @org.jspecify.annotations.Nullable String contentType,
            boolean created,
            @org.jspecify.annotations.Nullable String patient) {
        Binary binary = new Binary().setContentType(contentType);
        binary.setId(id);
        return new Written("Binary", id, 1, Instant.now(clock), binary, created, created, patient);
    }

    private Written existingWritten(String docId) {
        DocumentReference doc = (DocumentReference) vault.read("DocumentReference", docId, Visibility.UNRESTRICTED);
        return new Written(
                "DocumentReference",
                docId,
                Integer.parseInt(doc.getMeta().getVersionId()),
                doc.getMeta().getLastUpdated().toInstant(),
                doc,
                false,
                false,
                doc.getSubject().getReferenceElement().getIdPart());
    }

    /** The document-related changes of a unit. */
    private final class Unit {
        private final List<Change> changes;
        private final java.util.IdentityHashMap<Binary, Integer> binaryChange = new java.util.IdentityHashMap<>();

        Unit(List<Change> changes) {
            this.changes = changes;
        }

        boolean touchesDocuments() {
            return changes.stream()
                    .anyMatch(c ->
                            c.type().equals("DocumentReference") || c.type().equals("Binary"));
        }

        Map<String, Binary> binaries() {
            Map<String, Binary> binaries = new HashMap<>();
            for (int c = 0; c < changes.size(); c++) {
                Resource resource = resourceOf(changes.get(c));
                if (resource instanceof Binary binary) {
                    if (!binary.getIdElement().hasIdPart()) {
                        throw new UnprocessableEntityException("A Binary in a document unit needs the id its "
                                + "DocumentReference names (in a transaction, its fullUrl)");
                    }
                    binaries.put(binary.getIdElement().getIdPart(), binary);
                    binaryChange.put(binary, c);
                }
                if (changes.get(c) instanceof Change.Delete delete
                        && delete.type().equals("Binary")) {
                    throw new ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException(
                            "A document's content is deleted with its DocumentReference");
                }
            }
            return binaries;
        }

        @org.jspecify.annotations.Nullable
        DocumentReference document(Change change) {
            return switch (change) {
                case Change.Create create when create.resource() instanceof DocumentReference doc -> doc;
                case Change.Update update when update.resource() instanceof DocumentReference doc -> doc;
                default -> null;
            };
        }
    }
}
