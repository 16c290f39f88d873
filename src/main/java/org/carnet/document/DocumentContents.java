package org.carnet.document;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The contents of documents, served as {@code Binary/<id>}: the bytes in the {@link BlobStore}, a
 * {@code document_content} row tying them to the patient and (once claimed) to their DocumentReference.
 *
 * <p>Order of writes (ADR 0010): the blob is durable before its row is written, and the row commits with the
 * DocumentReference that claims it when both come in one unit. A crash in between leaves at most a blob without a
 * row, which {@link DocumentRepair} removes; never a row without its blob. Knows nothing of access rules: callers
 * check that the claiming DocumentReference is visible before serving a content.
 */
@Component
public class DocumentContents {

    private final JdbcTemplate jdbc;
    private final BlobStore blobs;

    DocumentContents(JdbcTemplate jdbc, BlobStore blobs) {
        this.jdbc = jdbc;
        this.blobs = blobs;
    }

    /**
     * A stored content.
     *
     * @param docrefId the DocumentReference that claimed it, null while unclaimed
     * @param sha1 base64 SHA-1 of the bytes (what {@code Attachment.hash} carries in FHIR R4)
     */
    public record Content(
            String binaryId,
            String patientId,
            @org.jspecify.annotations.Nullable String docrefId,
            String sha256,
            String sha1,
            long size,
            String contentType) {}

    /**
     * Stores a content for a patient, streamed (never whole in memory), and writes its row in the current transaction
     * if there is one; {@code docrefId} may be null (a raw upload that a DocumentReference claims later), and
     * {@code binaryId} null for a new random id.
     */
    public Content store(
            String patientId,
            @org.jspecify.annotations.Nullable String docrefId,
            @org.jspecify.annotations.Nullable String binaryId,
            String contentType,
            InputStream in) {
        MessageDigest sha1 = sha1();
        BlobRef ref;
        try (InputStream digesting = new DigestInputStream(in, sha1)) {
            ref = blobs.put(patientId, digesting);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the document content", e);
        }
        Content content = new Content(
                binaryId != null ? binaryId : UUID.randomUUID().toString(),
                patientId,
                docrefId,
                ref.sha256(),
                Base64.getEncoder().encodeToString(sha1.digest()),
                ref.size(),
                contentType);
        jdbc.update(
                """
                insert into document_content (binary_id, patient_id, docref_id, sha256, sha1, size, content_type)
                values (?, ?, ?, ?, ?, ?, ?)""",
                content.binaryId(),
                patientId,
                docrefId,
                content.sha256(),
                content.sha1(),
                content.size(),
                contentType);
        return content;
    }

    /** The content stored under that Binary id, if any. */
    public Optional<Content> find(String binaryId) {
        return jdbc
                .query("select * from document_content where binary_id = ?", DocumentContents::content, binaryId)
                .stream()
                .findFirst();
    }

    /** The contents a DocumentReference claimed, in the order they were stored. */
    public java.util.List<Content> ofDocument(String docrefId) {
        return jdbc.query(
                "select * from document_content where docref_id = ? order by stored_at, binary_id",
                DocumentContents::content,
                docrefId);
    }

    /** Ties an unclaimed content to the DocumentReference that names it; false if it is claimed already. */
    public boolean claim(String binaryId, String docrefId) {
        return jdbc.update(
                        "update document_content set docref_id = ? where binary_id = ? and docref_id is null",
                        docrefId,
                        binaryId)
                == 1;
    }

    /** Streams a content back, checked against its hash as it is read; empty if its patient's key was destroyed. */
    public Optional<InputStream> open(Content content) throws IOException {
        return blobs.open(content.patientId(), new BlobRef(content.sha256(), content.size()));
    }

    private static Content content(ResultSet rs, int row) throws SQLException {
        return new Content(
                rs.getString("binary_id"),
                rs.getString("patient_id"),
                rs.getString("docref_id"),
                rs.getString("sha256"),
                rs.getString("sha1"),
                rs.getLong("size"),
                rs.getString("content_type"));
    }

    /** The base64 SHA-1 of bytes, as FHIR R4 writes {@code Attachment.hash}. */
    static String sha1Base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(sha1().digest(bytes));
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
