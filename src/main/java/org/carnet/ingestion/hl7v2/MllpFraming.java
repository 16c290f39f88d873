package org.carnet.ingestion.hl7v2;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * MLLP, the framing HL7 v2 uses over TCP: {@code 0x0B message 0x1C 0x0D}.
 *
 * <p>Character set: a message is decoded and encoded in UTF-8 unless its MSH-18 says {@code 8859/1} or
 * {@code 8859/15} (the ones French senders use); the header itself is ASCII in all three, so it is read before
 * the message is decoded. Characters that the chosen set cannot encode are written as {@code ?}.
 *
 * <p>Reading is byte by byte: give a buffered stream. Stateless, hence thread-safe; a stream is not.
 */
final class MllpFraming {

    static final int START = 0x0B;
    static final int END = 0x1C;
    static final int CARRIAGE_RETURN = 0x0D;

    private MllpFraming() {}

    /**
     * The next framed message, or null when the stream ends cleanly between frames. Carriage returns and line
     * feeds between frames are skipped.
     *
     * @throws IOException when a frame is longer than {@code maxBytes}, is not framed as MLLP, or is cut off
     */
    public static @org.jspecify.annotations.Nullable String read(InputStream in, int maxBytes) throws IOException {
        int first = in.read();
        while (first == CARRIAGE_RETURN || first == '\n') {
            first = in.read();
        }
        if (first == -1) {
            return null;
        }
        if (first != START) {
            throw new IOException("not MLLP: a frame starts with 0x0B, not 0x%02X".formatted(first));
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
        for (int b = in.read(); b != END; b = in.read()) {
            if (b == -1) {
                throw new EOFException("the stream ended inside an MLLP frame");
            }
            if (message.size() == maxBytes) {
                throw new IOException("MLLP message longer than " + maxBytes + " bytes");
            }
            message.write(b);
        }
        if (in.read() != CARRIAGE_RETURN) {
            throw new IOException("not MLLP: 0x1C is not followed by 0x0D");
        }
        byte[] bytes = message.toByteArray();
        return new String(bytes, charset(new String(bytes, StandardCharsets.ISO_8859_1)));
    }

    /** Writes {@code message} framed and flushes. */
    public static void write(OutputStream out, String message) throws IOException {
        if (message.indexOf(START) >= 0 || message.indexOf(END) >= 0) {
            throw new IOException("the message contains an MLLP control character");
        }
        out.write(START);
        out.write(message.getBytes(charset(message)));
        out.write(END);
        out.write(CARRIAGE_RETURN);
        out.flush();
    }

    private static Charset charset(String message) {
        return MshHeader.of(message).charset();
    }
}
