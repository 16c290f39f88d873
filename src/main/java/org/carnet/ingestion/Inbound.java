package org.carnet.ingestion;

import java.util.Objects;

/**
 * One item a source sent: a file, an MLLP message, a line of an insurer file.
 *
 * @param connector the connector that reads it ({@code cda}, {@code hl7v2}, {@code pdf}, {@code csv}, {@code fhir})
 * @param source where it came from, for operators: a file name, a peer and control id (never health data)
 * @param content the bytes as received; their fingerprint makes re-sending a no-op
 */
public record Inbound(String connector, String source, byte[] content) {

    public Inbound {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(content, "content");
    }

    @Override
    public String toString() {
        return connector + " item from " + source + " (" + content.length + " bytes)";
    }
}
