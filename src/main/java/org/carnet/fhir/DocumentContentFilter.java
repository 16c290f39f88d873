package org.carnet.fhir;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.carnet.document.BlobIntegrityException;
import org.carnet.document.DocumentContents;
import org.carnet.record.RecordReads;
import org.carnet.record.References;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /fhir/Binary}: documents' contents, streamed between the client and the blob store so that a large
 * document never sits whole in memory (ADR 0010).
 *
 * <ul>
 *   <li>{@code GET Binary/<id>} (IHE MHD ITI-68): the raw bytes with their content type, to whoever may see the
 *       DocumentReference that claims them (the access decision compiled into that read), audited as a read of it;
 *       otherwise 404 as for an unknown id.
 *   <li>{@code POST Binary} with the raw bytes and {@code X-Security-Context: Patient/<id>}: stores a content for a
 *       later DocumentReference that names it in {@code content.attachment.url}; for callers who may write documents
 *       in that record. Unclaimed contents are removed by the repair command after its grace time.
 * </ul>
 * Anything else on Binary is refused: a document's content changes only by replacing the document.
 */
final class DocumentContentFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DocumentContentFilter.class);

    private final DocumentContents contents;
    private final RecordReads vault;
    private final Audits audits;
    private final long maxBytes;

    DocumentContentFilter(DocumentContents contents, RecordReads vault, Audits audits, long maxBytes) {
        this.contents = contents;
        this.vault = vault;
        this.audits = audits;
        this.maxBytes = maxBytes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null || !(path.equals("/Binary") || path.startsWith("/Binary/") || path.startsWith("/Binary?"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!CurrentAccess.active()) {
            chain.doFilter(request, response); // not signed in: Spring Security has answered 401 already
            return;
        }
        String[] parts = request.getPathInfo().substring(1).split("/");
        if (parts.length == 2 && "GET".equals(request.getMethod())) {
            if (!References.isValidId(parts[1])) {
                FilterOutcomes.write(response, 404, IssueType.NOTFOUND, "Binary/" + parts[1] + " is not known");
                return;
            }
            read(request, response, parts[1]);
        } else if (parts.length == 1 && "POST".equals(request.getMethod())) {
            upload(request, response);
        } else {
            FilterOutcomes.write(
                    response,
                    405,
                    IssueType.NOTSUPPORTED,
                    "On Binary, Carnet serves GET Binary/<id> "
                            + "(a document's content) and POST Binary (a raw content for a DocumentReference); a content "
                            + "changes only by replacing its document");
        }
    }

    private void read(HttpServletRequest request, HttpServletResponse response, String id) throws IOException {
        Optional<DocumentContents.Content> found = contents.find(id).filter(this::visible);
        if (found.isEmpty()) {
            FilterOutcomes.write(response, 404, IssueType.NOTFOUND, "Binary/" + id + " is not known");
            return;
        }
        DocumentContents.Content content = found.get();
        Optional<InputStream> opened = contents.open(content);
        if (opened.isEmpty()) {
            FilterOutcomes.write(
                    response, 410, IssueType.DELETED, "Binary/" + id + " was erased with its patient's record");
            return;
        }
        if (content.docrefId() != null) {
            CurrentAccess.disclose("DocumentReference", content.docrefId(), content.patientId());
        }
        CurrentAccess.disclose("Binary", id, content.patientId());
        audits.recordBeforeAnswer(request);
        try (InputStream in = opened.get()) {
            response.setStatus(200);
            response.setContentType(content.contentType());
            response.setContentLengthLong(content.size());
            response.setHeader("ETag", "\"" + content.sha256() + "\"");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Content-Disposition", "attachment");
            in.transferTo(response.getOutputStream());
        } catch (BlobIntegrityException e) {
            // The bytes on disk are not those stored: stop here, the client sees a cut answer, never altered data.
            log.error("Document content Binary/{} failed its integrity check", id);
            throw e;
        }
    }

    private boolean visible(DocumentContents.Content content) {
        if (content.docrefId() == null) {
            return CurrentAccess.visibility().unrestricted();
        }
        return vault.readJson("DocumentReference", content.docrefId(), CurrentAccess.visibility())
                .isPresent();
    }

    private void upload(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String contentType = request.getContentType();
        if (contentType == null
                || contentType.isBlank()
                || contentType.contains("fhir")
                || contentType.startsWith("application/x-www-form-urlencoded")
                || contentType.startsWith("multipart/")) {
            FilterOutcomes.write(
                    response,
                    415,
                    IssueType.NOTSUPPORTED,
                    "POST Binary takes the document's raw bytes "
                            + "with their own Content-Type (e.g. application/pdf); a FHIR Binary goes inside a document "
                            + "Bundle (ITI-65) or inline in DocumentReference.content.attachment.data (ITI-105)");
            return;
        }
        String context = request.getHeader("X-Security-Context");
        String patient = context != null && context.strip().startsWith("Patient/")
                ? context.strip().substring("Patient/".length())
                : null;
        if (patient == null || !References.isValidId(patient)) {
            FilterOutcomes.write(
                    response,
                    400,
                    IssueType.REQUIRED,
                    "POST Binary needs X-Security-Context: Patient/<id>, the record the document is for");
            return;
        }
        if (vault.readJson("Patient", patient, CurrentAccess.visibility()).isEmpty()) {
            FilterOutcomes.write(response, 404, IssueType.NOTFOUND, "Patient/" + patient + " is not known");
            return;
        }
        if (!CurrentAccess.visibility().mayWrite("DocumentReference", patient)) {
            FilterOutcomes.write(response, 403, IssueType.FORBIDDEN, "You may not add documents to this record");
            return;
        }
        if (request.getContentLengthLong() > maxBytes) {
            tooLarge(response);
            return;
        }
        DocumentContents.Content stored;
        try {
            stored = contents.store(patient, null, null, contentType, new Limited(request.getInputStream(), maxBytes));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof TooLarge) {
                tooLarge(response);
                return;
            }
            throw e;
        }
        CurrentAccess.disclose("Binary", stored.binaryId(), patient);
        audits.recordNow(true, null);
        org.hl7.fhir.r4.model.Binary binary = new org.hl7.fhir.r4.model.Binary().setContentType(contentType);
        binary.setId(stored.binaryId());
        binary.getMeta().setVersionId("1");
        binary.setSecurityContext(new org.hl7.fhir.r4.model.Reference("Patient/" + patient));
        byte[] body = vault.fhirContext()
                .newJsonParser()
                .encodeResourceToString(binary)
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(201);
        response.setHeader("Location", base(request) + "/Binary/" + stored.binaryId());
        response.setHeader("ETag", "W/\"1\"");
        response.setContentType("application/fhir+json;charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        FilterOutcomes.write(
                response,
                413,
                IssueType.TOOLONG,
                "The document exceeds the maximum of " + maxBytes + " bytes (carnet.fhir.max-document-bytes)");
    }

    private static String base(HttpServletRequest request) {
        return request.getRequestURL().toString().replaceFirst("/Binary/?$", "");
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("too large");
        }
    }

    /** Fails as soon as more than {@code limit} bytes are read, so that an undeclared length is bounded too. */
    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > limit) {
                throw new TooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && (count += n) > limit) {
                throw new TooLarge();
            }
            return n;
        }
    }
}
