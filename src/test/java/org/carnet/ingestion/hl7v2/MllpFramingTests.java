package org.carnet.ingestion.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MllpFramingTests {

    private static final String UTF8 =
            "MSH|^~\\&|LAB|LABO|||20240710||ORU^R01|1|P|2.5|||||FRA|UNICODE UTF-8\rPID|||1||Hélène\r";
    private static final String LATIN1 =
            "MSH|^~\\&|LAB|LABO|||20240710||ORU^R01|2|P|2.5|||||FRA|8859/1\rPID|||1||Hélène\r";

    @Test
    void writesAndReadsBackSeveralFramesThenNullAtTheEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MllpFraming.write(out, UTF8);
        MllpFraming.write(out, LATIN1);

        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());

        assertThat(MllpFraming.read(in, 1000)).isEqualTo(UTF8);
        assertThat(MllpFraming.read(in, 1000)).isEqualTo(LATIN1);
        assertThat(MllpFraming.read(in, 1000)).isNull();
    }

    @Test
    void encodesInUtf8UnlessMsh18SaysLatin1() throws IOException {
        assertThat(framed(UTF8)).containsSequence("H\u00c3\u00a9l".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(framed(LATIN1)).containsSequence("Hél".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(framed(UTF8)[0]).isEqualTo((byte) 0x0B);
        assertThat(framed(UTF8)).endsWith(0x1C, 0x0D);
    }

    @Test
    void refusesAFrameOverTheLimit() {
        assertThatThrownBy(() -> MllpFraming.read(new ByteArrayInputStream(framed(UTF8)), 20))
                .isInstanceOf(IOException.class)
                .hasMessage("MLLP message longer than 20 bytes");
    }

    @Test
    void refusesBytesOutsideAFrameAndCutFrames() {
        byte[] cut = Arrays.copyOf(framed(UTF8), 30);
        byte[] unframed = UTF8.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> MllpFraming.read(new ByteArrayInputStream(unframed), 1000))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("not MLLP: a frame starts with 0x0B");
        assertThatThrownBy(() -> MllpFraming.read(new ByteArrayInputStream(cut), 1000))
                .isInstanceOf(EOFException.class);
    }

    private static byte[] framed(String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MllpFraming.write(out, message);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }
}
