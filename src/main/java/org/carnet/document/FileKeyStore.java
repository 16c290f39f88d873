package org.carnet.document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The default {@link PatientKeys}: one file per patient holding their key wrapped by a master key, in a directory
 * of its own ({@code carnet.blobs.keys-dir}). The master key is a file created at first use (owner-only); a
 * deployment that needs more keeps it elsewhere (a mounted secret) or replaces this store with an HSM/KMS-backed
 * one. Destroying a patient's key overwrites and deletes its file: backups of the key directory must follow the
 * same retention, or the erasure is undone by a restore.
 */
final class FileKeyStore implements PatientKeys {

    private final Path dir;
    private final SecretKey master;
    private final Object lock = new Object();

    FileKeyStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            this.master = loadOrCreateMaster(dir.resolve("master.key"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the key directory " + dir, e);
        }
    }

    @Override
    public SecretKey keyOf(String patientId) {
        synchronized (lock) {
            Optional<SecretKey> existing = existingKeyOf(patientId);
            if (existing.isPresent()) {
                return existing.get();
            }
            SecretKey key = SegmentedCipher.newKey();
            try {
                Cipher wrap = Cipher.getInstance("AESWrap");
                wrap.init(Cipher.WRAP_MODE, master);
                writeAtomically(file(patientId), wrap.wrap(key));
                return key;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot wrap a patient key", e);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot store a patient key", e);
            }
        }
    }

    @Override
    public Optional<SecretKey> existingKeyOf(String patientId) {
        Path file = file(patientId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Cipher unwrap = Cipher.getInstance("AESWrap");
            unwrap.init(Cipher.UNWRAP_MODE, master);
            return Optional.of((SecretKey) unwrap.unwrap(Files.readAllBytes(file), "AES", Cipher.SECRET_KEY));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A patient key does not unwrap with the master key", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a patient key", e);
        }
    }

    @Override
    public void destroy(String patientId) {
        synchronized (lock) {
            Path file = file(patientId);
            try {
                if (Files.exists(file)) {
                    Files.write(
                            file, new byte[(int) Files.size(file)], StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                    Files.delete(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot destroy a patient key", e);
            }
        }
    }

    /** Key files are named by a digest of the patient id: no patient id appears in the file system. */
    private Path file(String patientId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(patientId.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(digest) + ".key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecretKey loadOrCreateMaster(Path file) throws IOException {
        if (!Files.exists(file)) {
            writeAtomically(file, SegmentedCipher.newKey().getEncoded());
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != 32) {
            throw new IllegalStateException("The master key " + file + " is not a 256-bit key");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "key-", ".part");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: its own access control applies.
            }
            Files.write(temp, bytes, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
