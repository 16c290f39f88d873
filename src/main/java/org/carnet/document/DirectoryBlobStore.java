package org.carnet.document;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.SecretKey;

/**
 * The default {@link BlobStore}: encrypted files under a directory, {@code <dir>/<patient digest>/<sha[0..2]>/<sha>}.
 * A content is written to a temporary file, forced to disk, then moved into place atomically, so a crash leaves
 * either the whole blob or an orphan temporary file ({@link #sweep} removes those). Reading decrypts segment by
 * segment and compares the SHA-256 of what was read with the address when the stream ends.
 */
final class DirectoryBlobStore implements BlobStore {

    private final Path root;
    private final Path temporary;
    private final PatientKeys keys;

    DirectoryBlobStore(Path root, PatientKeys keys) {
        this.root = root;
        this.temporary = root.resolve("tmp");
        this.keys = keys;
        try {
            Files.createDirectories(temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the blob directory " + root, e);
        }
    }

    @Override
    public BlobRef put(String patientId, InputStream content) throws IOException {
        SecretKey key = keys.keyOf(patientId);
        Path temp = temporary.resolve(UUID.randomUUID() + ".part");
        MessageDigest sha256 = sha256();
        CountingInputStream counted = new CountingInputStream(new DigestInputStream(content, sha256));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                SegmentedCipher.encrypt(key, counted, out);
                out.flush();
                channel.force(true);
            }
            BlobRef ref = new BlobRef(HexFormat.of().formatHex(sha256.digest()), counted.count);
            Path target = path(patientId, ref);
            if (Files.exists(target)) {
                return ref;
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target);
            } catch (FileAlreadyExistsException e) {
                // Stored meanwhile by a concurrent put of the same content: the same bytes, keep theirs.
            }
            return ref;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<InputStream> open(String patientId, BlobRef ref) throws IOException {
        Path file = path(patientId, ref);
        Optional<SecretKey> key = keys.existingKeyOf(patientId);
        if (key.isEmpty() || !Files.exists(file)) {
            return Optional.empty();
        }
        InputStream encrypted = Files.newInputStream(file);
        try {
            return Optional.of(new Verifying(SegmentedCipher.decrypt(key.get(), encrypted), ref));
        } catch (IOException | RuntimeException e) {
            encrypted.close();
            throw e;
        }
    }

    @Override
    public boolean contains(String patientId, BlobRef ref) {
        return Files.exists(path(patientId, ref));
    }

    @Override
    public String patientKey(String patientId) {
        return HexFormat.of().formatHex(sha256().digest(patientId.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void forEachStored(java.util.function.Consumer<Stored> action) throws IOException {
        try (var files = Files.find(
                root,
                3,
                (file, attributes) -> attributes.isRegularFile()
                        && !file.startsWith(temporary)
                        && ADDRESS.matcher(file.getFileName().toString()).matches())) {
            for (Path file : (Iterable<Path>) files::iterator) {
                // root/<patient key>/<2 characters>/<address>: the patient key is two levels up
                Path folder = java.util.Objects.requireNonNull(file.getParent(), "a stored blob is in a folder");
                Path patientFolder =
                        java.util.Objects.requireNonNull(folder.getParent(), "a blob's folder is in its patient's");
                action.accept(new Stored(
                        patientFolder.getFileName().toString(),
                        file.getFileName().toString(),
                        Files.getLastModifiedTime(file).toInstant()));
            }
        }
    }

    @Override
    public boolean remove(String patientKey, String sha256) throws IOException {
        if (!ADDRESS.matcher(patientKey).matches() || !ADDRESS.matcher(sha256).matches()) {
            throw new IllegalArgumentException("A patient key and an address are 64 lower-case hex digits");
        }
        return Files.deleteIfExists(
                root.resolve(patientKey).resolve(sha256.substring(0, 2)).resolve(sha256));
    }

    private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    /** Removes temporary files left by writes that never finished (a crash); returns how many. */
    int sweep() throws IOException {
        int removed = 0;
        try (var files = Files.list(temporary)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(".part") && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private Path path(String patientId, BlobRef ref) {
        return root.resolve(patientKey(patientId))
                .resolve(ref.sha256().substring(0, 2))
                .resolve(ref.sha256());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Compares what was read with the address and size when the stream ends. */
    private static final class Verifying extends FilterInputStream {
        private final MessageDigest digest = sha256();
        private final BlobRef ref;
        private long count;
        private boolean checked;

        Verifying(InputStream in, BlobRef ref) {
            super(in);
            this.ref = ref;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                digest.update(buffer, offset, n);
                count += n;
            } else if (n < 0 && !checked) {
                checked = true;
                String read = HexFormat.of().formatHex(digest.digest());
                if (!read.equals(ref.sha256()) || count != ref.size()) {
                    throw new BlobIntegrityException("Blob content does not match its address");
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipping would bypass the check: read and discard instead.
            byte[] sink = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int read = read(sink, 0, (int) Math.min(sink.length, n - skipped));
                if (read < 0) {
                    break;
                }
                skipped += read;
            }
            return skipped;
        }
    }
}
