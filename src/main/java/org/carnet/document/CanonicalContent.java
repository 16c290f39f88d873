package org.carnet.document;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * When two contents are the same document although their bytes differ: a text or XML document that travelled by two
 * routes comes back with other line ends (CR LF inside an HL7 message, LF in a file, CR from an old system), with or
 * without a last line end, with or without a UTF-8 byte order mark. Those differences are the transport's, not the
 * producer's, so the duplicate check compares such contents after normalising them: a leading UTF-8 BOM dropped,
 * CR LF and lone CR read as LF, trailing line ends dropped. Anything else (a space, a comment, an attribute order) is
 * another content. Binary formats (PDF, images) compare by their bytes only. The record keeps the bytes as received.
 *
 * <p>The normalisation works on bytes, so it holds for ASCII-compatible encodings (UTF-8, ISO-8859-x); a content
 * starting with a UTF-16 or UTF-32 byte order mark is compared by its bytes. Stateless, hence thread-safe.
 */
final class CanonicalContent {

    private static final int CR = '\r';
    private static final int LF = '\n';

    private CanonicalContent() {}

    /** Whether contents of that media type are text, whose line ends a transport may have changed. */
    static boolean textual(@org.jspecify.annotations.Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int parameters = type.indexOf(';');
        type = (parameters < 0 ? type : type.substring(0, parameters)).strip();
        return type.startsWith("text/")
                || type.equals("application/xml")
                || type.endsWith("+xml")
                || type.equals("application/json")
                || type.endsWith("+json")
                || type.equals("application/hl7-v2");
    }

    /**
     * The base64 SHA-1 of a content after normalisation, read as a stream (a large content never sits in memory);
     * null when the content starts with a UTF-16 or UTF-32 byte order mark (compared by its bytes only).
     */
    static @org.jspecify.annotations.Nullable String sha1(InputStream in) throws IOException {
        MessageDigest digest = sha1();
        InputStream buffered = in.markSupported() ? in : new java.io.BufferedInputStream(in);
        buffered.mark(4);
        byte[] head = buffered.readNBytes(4);
        if (head.length >= 2
                && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF)
                        || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE))) {
            return null;
        }
        if (head.length == 4 && head[0] == 0 && head[1] == 0 && head[2] == (byte) 0xFE && head[3] == (byte) 0xFF) {
            return null;
        }
        buffered.reset();
        if (head.length >= 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF) {
            buffered.skipNBytes(3);
        }
        long pendingLineEnds = 0; // line ends seen and not yet written: dropped if nothing follows them
        boolean afterCr = false;
        byte[] chunk = new byte[8192];
        byte[] out = new byte[8192];
        for (int read = buffered.read(chunk); read >= 0; read = buffered.read(chunk)) {
            int length = 0;
            for (int i = 0; i < read; i++) {
                int b = chunk[i] & 0xFF;
                if (b == LF && afterCr) {
                    afterCr = false; // the LF of a CR LF, counted with its CR
                    continue;
                }
                afterCr = b == CR;
                if (b == CR || b == LF) {
                    pendingLineEnds++;
                    continue;
                }
                if (pendingLineEnds > 0) {
                    digest.update(out, 0, length);
                    length = 0;
                    for (; pendingLineEnds > 0; pendingLineEnds--) {
                        digest.update((byte) LF);
                    }
                }
                out[length++] = (byte) b;
            }
            digest.update(out, 0, length);
        }
        return Base64.getEncoder().encodeToString(digest.digest());
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
