package org.carnet.document;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Streaming authenticated encryption: AES-256-GCM over 64 KiB segments, so that neither writing nor reading holds a
 * whole content in memory, and every segment is verified before any of its bytes is released. Each content has its
 * own random data key, wrapped (AES key wrap, RFC 3394) by the patient's key and kept in the header: envelope
 * encryption. A segment's nonce is a random prefix, its number and a last-segment flag, so reordering, dropping or
 * cutting segments fails authentication. The header is authenticated with every segment.
 *
 * <pre>
 * "CRNB" | version (1) | wrapped key length (2) | wrapped key | nonce prefix (7) | segments: ciphertext + tag (16)
 * </pre>
 */
final class SegmentedCipher {

    static final int SEGMENT = 64 * 1024;
    private static final byte[] MAGIC = {'C', 'R', 'N', 'B'};
    private static final byte VERSION = 1;
    private static final int TAG_BYTES = 16;
    private static final int PREFIX_BYTES = 7;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SegmentedCipher() {}

    /** Encrypts {@code in} to {@code out} until the end of {@code in}. */
    static void encrypt(SecretKey patientKey, InputStream in, OutputStream out) throws IOException {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            SecretKey dataKey = generator.generateKey();
            Cipher wrap = Cipher.getInstance("AESWrap");
            wrap.init(Cipher.WRAP_MODE, patientKey);
            byte[] wrapped = wrap.wrap(dataKey);
            byte[] prefix = new byte[PREFIX_BYTES];
            RANDOM.nextBytes(prefix);
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            header.write(MAGIC);
            header.write(VERSION);
            header.write(wrapped.length >> 8);
            header.write(wrapped.length & 0xff);
            header.write(wrapped);
            header.write(prefix);
            byte[] aad = header.toByteArray();
            out.write(aad);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] current = in.readNBytes(SEGMENT);
            for (int counter = 0; ; counter++) {
                byte[] next = current.length == SEGMENT ? in.readNBytes(SEGMENT) : new byte[0];
                boolean last = next.length == 0;
                gcm.init(
                        Cipher.ENCRYPT_MODE,
                        dataKey,
                        new GCMParameterSpec(TAG_BYTES * 8, nonce(prefix, counter, last)));
                gcm.updateAAD(aad);
                out.write(gcm.doFinal(current));
                if (last) {
                    return;
                }
                current = next;
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("Encryption failed", e);
        }
    }

    /** A stream of the decrypted content; a segment that fails authentication raises {@link BlobIntegrityException}. */
    static InputStream decrypt(SecretKey patientKey, InputStream encrypted) throws IOException {
        return new Decrypting(patientKey, encrypted);
    }

    private static byte[] nonce(byte[] prefix, int counter, boolean last) {
        return ByteBuffer.allocate(12)
                .put(prefix)
                .putInt(counter)
                .put((byte) (last ? 1 : 0))
                .array();
    }

    private static final class Decrypting extends InputStream {
        private final PushbackInputStream in;
        private final SecretKey dataKey;
        private final byte[] prefix;
        private final byte[] aad;
        private final Cipher gcm;
        private byte[] plain = new byte[0];
        private int position;
        private int counter;
        private boolean done;

        Decrypting(SecretKey patientKey, InputStream encrypted) throws IOException {
            this.in = new PushbackInputStream(encrypted, 1);
            DataInputStream header = new DataInputStream(in);
            try {
                byte[] magic = new byte[4];
                header.readFully(magic);
                int version = header.readUnsignedByte();
                if (!Arrays.equals(magic, MAGIC) || version != VERSION) {
                    throw new BlobIntegrityException("Not a Carnet blob (bad header)");
                }
                int length = header.readUnsignedShort();
                byte[] wrapped = new byte[length];
                header.readFully(wrapped);
                prefix = new byte[PREFIX_BYTES];
                header.readFully(prefix);
                ByteBuffer aadBuffer = ByteBuffer.allocate(4 + 1 + 2 + length + PREFIX_BYTES);
                aadBuffer
                        .put(MAGIC)
                        .put((byte) version)
                        .putShort((short) length)
                        .put(wrapped)
                        .put(prefix);
                aad = aadBuffer.array();
                Cipher unwrap = Cipher.getInstance("AESWrap");
                unwrap.init(Cipher.UNWRAP_MODE, patientKey);
                dataKey = (SecretKey) unwrap.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
                gcm = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (EOFException e) {
                throw new BlobIntegrityException("Blob header cut short", e);
            } catch (java.security.InvalidKeyException e) {
                throw new BlobIntegrityException("Blob key does not unwrap with this patient's key", e);
            } catch (GeneralSecurityException e) {
                throw new IOException("Decryption unavailable", e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (position == plain.length) {
                if (done) {
                    return -1;
                }
                nextSegment();
            }
            int n = Math.min(length, plain.length - position);
            System.arraycopy(plain, position, buffer, offset, n);
            position += n;
            return n;
        }

        private void nextSegment() throws IOException {
            byte[] sealed = in.readNBytes(SEGMENT + TAG_BYTES);
            int peek = in.read();
            boolean last = peek < 0;
            if (!last) {
                in.unread(peek);
            }
            try {
                gcm.init(
                        Cipher.DECRYPT_MODE,
                        dataKey,
                        new GCMParameterSpec(TAG_BYTES * 8, nonce(prefix, counter, last)));
                gcm.updateAAD(aad);
                plain = gcm.doFinal(sealed);
            } catch (javax.crypto.AEADBadTagException e) {
                throw new BlobIntegrityException("Blob segment " + counter + " fails authentication", e);
            } catch (GeneralSecurityException e) {
                throw new BlobIntegrityException("Blob segment " + counter + " cannot be decrypted", e);
            }
            position = 0;
            counter++;
            done = last;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A new random AES-256 key (a patient's key). */
    static SecretKey newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new SecretKeySpec(bytes, "AES");
    }
}
