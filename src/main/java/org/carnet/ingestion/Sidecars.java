package org.carnet.ingestion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * A PDF says nothing reliable about whom and what it is: in a bulk import it comes with a sidecar,
 * {@code <file>.pdf.properties} (UTF-8), naming the patient and the document. Sidecar and PDF travel as one item
 * (one fingerprint, one payload to replay): the sidecar's text, a line {@value #SEPARATOR}, then the PDF's bytes.
 *
 * <p>Sidecar keys: {@code ins} and {@code ins-oid} (or {@code family}, {@code given}, {@code birthdate}
 * (YYYY-MM-DD), {@code sex}), {@code unique-id}, {@code type} (LOINC code), {@code type-display}, {@code title},
 * {@code date} (ISO date or date-time), {@code author-idnat}.
 */
public final class Sidecars {

    public static final String SUFFIX = ".properties";
    static final String SEPARATOR = "%%CARNET-PDF%%";

    private Sidecars() {}

    static boolean isSidecar(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".pdf" + SUFFIX);
    }

    interface Lookup {
        byte @org.jspecify.annotations.Nullable [] read(String sidecarName) throws IOException;
    }

    /** The item of a file: a PDF with its sidecar when there is one; any other file as it is. */
    static byte[] attach(String name, byte[] content, Lookup lookup) throws IOException {
        if (!name.toLowerCase(Locale.ROOT).endsWith(".pdf")) {
            return content;
        }
        String simple = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
        byte[] sidecar = lookup.read(simple + SUFFIX);
        if (sidecar == null) {
            return content;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(sidecar.length + content.length + 32);
        out.write(sidecar);
        out.write(("\n" + SEPARATOR + "\n").getBytes(StandardCharsets.UTF_8));
        out.write(content);
        return out.toByteArray();
    }

    /** A PDF item split into its sidecar (null when it came without one) and the PDF's bytes. */
    public record Parts(@org.jspecify.annotations.Nullable Properties sidecar, byte[] pdf) {}

    public static Parts split(byte[] item) throws IOException {
        byte[] marker = ("\n" + SEPARATOR + "\n").getBytes(StandardCharsets.UTF_8);
        int at = indexOf(item, marker);
        if (at < 0) {
            return new Parts(null, item);
        }
        Properties properties = new Properties();
        properties.load(new StringReader(new String(item, 0, at, StandardCharsets.UTF_8)));
        return new Parts(properties, Arrays.copyOfRange(item, at + marker.length, item.length));
    }

    private static int indexOf(byte[] data, byte[] marker) {
        int limit = Math.min(data.length - marker.length, 64 * 1024);
        outer:
        for (int i = 0; i <= limit; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
