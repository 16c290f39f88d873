package org.carnet.document;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the text of a document's content for search (e.g. a PDF's, with PDFBox), contributed as a bean by the module
 * that knows the format. The intake asks each one when a document is filed, and keeps the text as a second,
 * plain-text content; a content without text (a scan) is tagged so.
 */
public interface ContentText {

    /** Whether this reader reads that content type. */
    boolean reads(String contentType);

    /**
     * The text of the content in {@code file}.
     *
     * @throws UnreadableContentException when the content is not what its type says (damaged, encrypted…), with why
     */
    Extracted extract(Path file) throws UnreadableContentException;

    /** The text ("" when none), and whether all or some pages carry no text. */
    record Extracted(String text, boolean withoutText, boolean partlyWithoutText) {}

    /** A content that cannot be read as its type says, with the precise reason. */
    final class UnreadableContentException extends Exception {
        public UnreadableContentException(String reason) {
            super(reason);
        }
    }

    /** The first reader of a content type, if any. */
    static Optional<ContentText> forType(
            Iterable<ContentText> readers, @org.jspecify.annotations.Nullable String contentType) {
        for (ContentText reader : readers) {
            if (contentType != null && reader.reads(contentType)) {
                return Optional.of(reader);
            }
        }
        return Optional.empty();
    }
}
