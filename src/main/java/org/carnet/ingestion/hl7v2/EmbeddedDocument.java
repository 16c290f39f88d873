package org.carnet.ingestion.hl7v2;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.carnet.ingestion.cda.Coding;

/**
 * A document carried in an {@code ED} row of an HL7 v2 message (not a DMP metadata row): a CDA, a PDF, a text, an
 * image. Its media type is what the bytes are when they say it themselves ({@code %PDF-}, a CDA root), else what
 * OBX-5.2/5.3 declare.
 *
 * @param label the row as reasons name it, e.g. {@code OBX 3}
 * @param code OBX-3 of the row (the document's type, e.g. a LOINC code); null when absent
 * @param status OBX-11 of the row ({@code C} replacement, {@code D} deletion)
 * @param order index of the OBR the row sits under in {@link LabMessage#orders()}, or -1
 */
record EmbeddedDocument(
        byte[] content,
        String mediaType,
        String label,
        @org.jspecify.annotations.Nullable Coding code,
        @org.jspecify.annotations.Nullable String status,
        int order) {

    public EmbeddedDocument {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(label, "label");
        content = content.clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** Whether the row is read as a CDA: XML (by its bytes or its declared type), which the CDA reader then checks. */
    boolean isCda() {
        return mediaType.equals(CDA);
    }

    /** The media type under which a CDA is filed. */
    static final String CDA = "text/xml";

    /**
     * The media type of an ED row's bytes: a PDF or an XML document when the bytes say so (a sender may declare a PDF
     * as {@code TEXT^XML}), else the declared one; XML of any declared kind is read as a CDA.
     */
    static String mediaType(byte[] content, String declared) {
        // CI-SIS documents may open with long comments and processing instructions before their root.
        String head = new String(content, 0, Math.min(content.length, 65_536), StandardCharsets.ISO_8859_1);
        String start = head.startsWith("\u00EF\u00BB\u00BF") ? head.substring(3).stripLeading() : head.stripLeading();
        if (start.startsWith("%PDF-")) {
            return "application/pdf";
        }
        if (start.startsWith("<") && head.contains("ClinicalDocument")) {
            return CDA;
        }
        String type = declared.toLowerCase(java.util.Locale.ROOT);
        return type.endsWith("/xml") || type.endsWith("+xml") ? CDA : declared;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EmbeddedDocument that
                && Arrays.equals(content, that.content)
                && mediaType.equals(that.mediaType)
                && label.equals(that.label)
                && Objects.equals(code, that.code)
                && Objects.equals(status, that.status)
                && order == that.order;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(content), mediaType, label, order);
    }

    @Override
    public String toString() {
        return "EmbeddedDocument[" + label + ", " + mediaType + ", " + content.length + " bytes]";
    }
}
