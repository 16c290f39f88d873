package org.carnet.document;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where document contents live (ARCHITECTURE.md decision 9): content-addressed per patient, streamed both ways,
 * encrypted at rest with the patient's key, checked on read.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #put} reads the stream to its end without holding it in memory, and returns only once the content is
 *       durably stored (a crash before that leaves nothing visible; a temporary file may remain, removed by the next
 *       {@link #put} or by a sweep). Storing the same content twice for the same patient stores it once.
 *   <li>{@link #open} streams the content back and fails with {@link BlobIntegrityException} (an {@code IOException})
 *       as soon as a byte read does not match what was stored: a caller never receives altered data silently.
 *   <li>Once {@link PatientKeys#destroy} has run for a patient, none of their blobs can be read again, by anyone.
 * </ul>
 * Implementations are thread-safe. They know nothing of access rules: callers decide who may read (access module).
 */
public interface BlobStore {

    /** Stores a content for a patient and returns its address and size. */
    BlobRef put(String patientId, InputStream content) throws IOException;

    /** The content at that address for that patient, or empty if there is none (or its key was destroyed). */
    Optional<InputStream> open(String patientId, BlobRef ref) throws IOException;

    /** Whether the content is stored for that patient. */
    boolean contains(String patientId, BlobRef ref);

    /** The opaque key a patient's contents are filed under (what {@link #forEachStored} reports). */
    String patientKey(String patientId);

    /** Calls {@code action} with every stored content, for verification and repair; files are listed, not read. */
    void forEachStored(java.util.function.Consumer<Stored> action) throws IOException;

    /** Removes one stored content (an orphan found by the repair); returns whether it existed. */
    boolean remove(String patientKey, String sha256) throws IOException;

    /** A stored content as listed: the patient key, the address, and when it was written. */
    record Stored(String patientKey, String sha256, java.time.Instant written) {}
}
