package org.carnet.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryBlobStoreTests {

    @TempDir
    Path dir;

    private DirectoryBlobStore store() {
        return new DirectoryBlobStore(dir.resolve("blobs"), new FileKeyStore(dir.resolve("keys")));
    }

    @Test
    void contentsComeBackAsWrittenWhateverTheirLength() throws Exception {
        DirectoryBlobStore store = store();
        for (int length : new int[] {
            0,
            1,
            SegmentedCipher.SEGMENT - 1,
            SegmentedCipher.SEGMENT,
            SegmentedCipher.SEGMENT + 1,
            3 * SegmentedCipher.SEGMENT,
            200_000
        }) {
            byte[] content = random(length, length);

            BlobRef ref = store.put("p1", new ByteArrayInputStream(content));

            assertThat(ref.size()).isEqualTo(length);
            assertThat(ref.sha256()).isEqualTo(sha256(content));
            try (InputStream in = store.open("p1", ref).orElseThrow()) {
                assertThat(in.readAllBytes()).as("length " + length).isEqualTo(content);
            }
        }
    }

    @Test
    void theSameContentTwiceIsStoredOnceAndIsEncryptedOnDisk() throws Exception {
        DirectoryBlobStore store = store();
        byte[] content = "Compte rendu de consultation : HTA équilibrée".getBytes(StandardCharsets.UTF_8);

        BlobRef first = store.put("p1", new ByteArrayInputStream(content));
        BlobRef second = store.put("p1", new ByteArrayInputStream(content));

        assertThat(second).isEqualTo(first);
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            var stored = files.filter(Files::isRegularFile).toList();
            assertThat(stored).hasSize(1);
            assertThat(new String(Files.readAllBytes(stored.get(0)), StandardCharsets.ISO_8859_1))
                    .doesNotContain("Compte rendu");
        }
    }

    @Test
    void aChangedByteIsDetectedWhenReadAndNoAlteredDataIsReturned() throws Exception {
        DirectoryBlobStore store = store();
        byte[] content = random(3 * SegmentedCipher.SEGMENT, 7);
        BlobRef ref = store.put("p1", new ByteArrayInputStream(content));
        Path file = only(dir.resolve("blobs"));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);

        try (InputStream in = store.open("p1", ref).orElseThrow()) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(BlobIntegrityException.class)
                    .hasMessageContaining("fails authentication");
        }
    }

    @Test
    void aCutBlobIsDetected() throws Exception {
        DirectoryBlobStore store = store();
        BlobRef ref = store.put("p1", new ByteArrayInputStream(random(2 * SegmentedCipher.SEGMENT + 10, 3)));
        Path file = only(dir.resolve("blobs"));
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(file) - (SegmentedCipher.SEGMENT / 2));
        }

        try (InputStream in = store.open("p1", ref).orElseThrow()) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(BlobIntegrityException.class);
        }
    }

    @Test
    void aBlobMovedToAnotherAddressIsDetected() throws Exception {
        DirectoryBlobStore store = store();
        BlobRef a = store.put("p1", new ByteArrayInputStream(random(1000, 1)));
        BlobRef b = store.put("p1", new ByteArrayInputStream(random(1000, 2)));
        Path fileA;
        Path fileB;
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            var all = files.filter(Files::isRegularFile).toList();
            fileA = all.stream()
                    .filter(p -> p.getFileName().toString().equals(a.sha256()))
                    .findFirst()
                    .orElseThrow();
            fileB = all.stream()
                    .filter(p -> p.getFileName().toString().equals(b.sha256()))
                    .findFirst()
                    .orElseThrow();
        }
        Files.copy(fileB, fileA, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        try (InputStream in = store.open("p1", a).orElseThrow()) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(BlobIntegrityException.class)
                    .hasMessageContaining("does not match its address");
        }
    }

    @Test
    void destroyingThePatientsKeyMakesTheirBlobsUnreadable() throws Exception {
        FileKeyStore keys = new FileKeyStore(dir.resolve("keys"));
        DirectoryBlobStore store = new DirectoryBlobStore(dir.resolve("blobs"), keys);
        BlobRef mine = store.put("p1", new ByteArrayInputStream(random(500, 5)));
        BlobRef theirs = store.put("p2", new ByteArrayInputStream(random(500, 6)));

        keys.destroy("p1");

        assertThat(store.open("p1", mine)).isEmpty();
        assertThat(store.contains("p1", mine))
                .as("the file is still there, unreadable")
                .isTrue();
        assertThat(store.open("p2", theirs)).isPresent();
        assertThat(store.open("p2", mine)).as("another patient's address").isEmpty();
    }

    @Test
    void aWriteThatNeverFinishedLeavesNoBlobAndIsSweptAway() throws Exception {
        DirectoryBlobStore store = store();
        InputStream failing = new InputStream() {
            int served;

            @Override
            public int read() throws IOException {
                if (served++ > 100_000) {
                    throw new IOException("connection reset");
                }
                return 42;
            }
        };
        assertThatThrownBy(() -> store.put("p1", failing)).isInstanceOf(IOException.class);
        Files.write(dir.resolve("blobs/tmp/crashed.part"), new byte[] {1, 2, 3});

        assertThat(store.sweep()).isEqualTo(1);
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void aHundredMegabyteContentIsStreamedBothWays() throws Exception {
        DirectoryBlobStore store = store();
        long size = 100L * 1024 * 1024;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        InputStream generated = new InputStream() {
            long served;

            @Override
            public int read() {
                return served < size ? (int) (served++ * 31 % 251) : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (served >= size) {
                    return -1;
                }
                int n = (int) Math.min(length, size - served);
                for (int i = 0; i < n; i++) {
                    buffer[offset + i] = (byte) (served++ * 31 % 251);
                }
                expected.update(buffer, offset, n);
                return n;
            }
        };

        BlobRef ref = store.put("p1", generated);

        assertThat(ref.size()).isEqualTo(size);
        assertThat(ref.sha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (InputStream in = store.open("p1", ref).orElseThrow()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                read.update(buffer, 0, n);
            }
        }
        assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(ref.sha256());
    }

    private static Path only(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().endsWith(".part"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
