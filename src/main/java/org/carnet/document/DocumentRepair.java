package org.carnet.document;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.carnet.record.RecordReads;
import org.carnet.record.Visibility;
import org.hl7.fhir.r4.model.DocumentReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Proves that blobs and document metadata agree, and repairs what a crash can leave (ADR 0010):
 * <ul>
 *   <li><b>orphan blob</b>: stored, but no {@code document_content} row names it (a crash between the blob and the
 *       commit, or a refused write); removed once older than the grace time (younger ones may be in flight);
 *   <li><b>unclaimed content</b>: a raw upload no DocumentReference claimed within the grace time; removed;
 *   <li><b>dangling content</b>: a row whose blob is missing (lost storage); reported, never silently dropped;
 *   <li><b>document without content</b>: a filed DocumentReference naming a {@code Binary/<id>} that is not stored;
 *       reported;
 *   <li><b>corrupt blob</b> (with {@code checkContents}): a blob whose bytes no longer match their hash; reported.
 * </ul>
 * Safe to run while Carnet serves requests (the grace time protects writes in flight).
 */
@Component
class DocumentRepair {

    private final JdbcTemplate jdbc;
    private final BlobStore blobs;
    private final RecordReads vault;
    private final Clock clock;

    DocumentRepair(JdbcTemplate jdbc, BlobStore blobs, RecordReads vault, Clock clock) {
        this.jdbc = jdbc;
        this.blobs = blobs;
        this.vault = vault;
        this.clock = clock;
    }

    /** What a run found (ids and addresses only: never content) and whether it repaired. */
    public record Report(
            long blobs,
            long contents,
            List<String> orphanBlobs,
            List<String> unclaimedContents,
            List<String> danglingContents,
            List<String> documentsWithoutContent,
            List<String> corruptBlobs,
            boolean repaired) {

        /** Whether nothing is left to worry about: after a repair, only what a repair cannot fix counts. */
        public boolean consistent() {
            boolean fixable = orphanBlobs.isEmpty() && unclaimedContents.isEmpty();
            return (repaired || fixable)
                    && danglingContents.isEmpty()
                    && documentsWithoutContent.isEmpty()
                    && corruptBlobs.isEmpty();
        }
    }

    private record Row(
            String binaryId, String patientId, String docrefId, String sha256, long size, Instant storedAt) {}

    public Report run(boolean repair, Duration grace, boolean checkContents) {
        Instant cutoff = clock.instant().minus(grace);
        List<Row> rows = jdbc.query(
                "select binary_id, patient_id, docref_id, sha256, size, stored_at from document_content",
                (rs, n) -> new Row(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getTimestamp(6).toInstant()));
        List<String> unclaimed = new ArrayList<>();
        List<String> dangling = new ArrayList<>();
        List<String> corrupt = new ArrayList<>();
        Map<String, Integer> uses = new HashMap<>();
        for (Row row : rows) {
            uses.merge(blobs.patientKey(row.patientId()) + "/" + row.sha256(), 1, Integer::sum);
        }
        for (Row row : rows) {
            BlobRef ref = new BlobRef(row.sha256(), row.size());
            if (row.docrefId() == null && row.storedAt().isBefore(cutoff)) {
                unclaimed.add("Binary/" + row.binaryId());
                if (repair) {
                    jdbc.update(
                            "delete from document_content where binary_id = ? and docref_id is null", row.binaryId());
                    uses.merge(blobs.patientKey(row.patientId()) + "/" + row.sha256(), -1, Integer::sum);
                }
                continue;
            }
            if (!blobs.contains(row.patientId(), ref)) {
                dangling.add("Binary/" + row.binaryId());
            } else if (checkContents && !readsBack(row.patientId(), ref)) {
                corrupt.add("Binary/" + row.binaryId());
            }
        }
        List<String> orphans = new ArrayList<>();
        long[] stored = {0};
        try {
            blobs.forEachStored(blob -> {
                stored[0]++;
                if (uses.getOrDefault(blob.patientKey() + "/" + blob.sha256(), 0) <= 0
                        && blob.written().isBefore(cutoff)) {
                    orphans.add(blob.patientKey().substring(0, 12) + "…/" + blob.sha256());
                    if (repair) {
                        remove(blob);
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the blob store", e);
        }
        return new Report(
                stored[0], rows.size(), orphans, unclaimed, dangling, documentsWithoutContent(), corrupt, repair);
    }

    private void remove(BlobStore.Stored blob) {
        try {
            blobs.remove(blob.patientKey(), blob.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove an orphan blob", e);
        }
    }

    private boolean readsBack(String patientId, BlobRef ref) {
        try (InputStream in = blobs.open(patientId, ref).orElse(InputStream.nullInputStream())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Filed documents naming a Carnet content that is not stored. */
    private List<String> documentsWithoutContent() {
        Set<String> stored = new HashSet<>(
                jdbc.queryForList("select binary_id from document_content where docref_id is not null", String.class));
        List<String> missing = new ArrayList<>();
        for (String docId : jdbc.queryForList("select docref_id from document_identity", String.class)) {
            DocumentReference doc;
            try {
                doc = (DocumentReference) vault.read("DocumentReference", docId, Visibility.UNRESTRICTED);
            } catch (RuntimeException e) {
                continue; // deleted (its contents are kept) or never committed
            }
            for (var content : doc.getContent()) {
                String url = content.getAttachment().getUrl();
                if (url != null && url.startsWith("Binary/") && !stored.contains(url.substring("Binary/".length()))) {
                    missing.add("DocumentReference/" + docId);
                }
            }
        }
        return missing;
    }
}
