package org.carnet.ingestion.pdf;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PdfText} found in a PDF.
 *
 * @param pages number of pages
 * @param text the text of every page, whitespace-normalised (runs of spaces become one space, each line break one
 *     {@code \n}, pages separated by a blank line), at most {@link #MAX_TEXT} characters
 * @param pagesWithoutText 1-based numbers of the pages with no extractable text (scanned, or blank), ascending
 * @param title the document information's title; {@code null} when absent or blank
 * @param author the document information's author; {@code null} when absent or blank
 * @param created the document information's creation date; {@code null} when absent or unreadable
 */
public record PdfContent(
        int pages,
        String text,
        List<Integer> pagesWithoutText,
        @org.jspecify.annotations.Nullable String title,
        @org.jspecify.annotations.Nullable String author,
        @org.jspecify.annotations.Nullable Instant created) {

    /** The most text kept: past it, the text is cut (pages are still all looked at for {@link #pagesWithoutText}). */
    public static final int MAX_TEXT = 1_000_000;

    public PdfContent {
        if (pages < 0) {
            throw new IllegalArgumentException("pages cannot be negative: " + pages);
        }
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("text is capped at " + MAX_TEXT + " characters");
        }
        pagesWithoutText = List.copyOf(pagesWithoutText);
    }

    /** Whether no page has text: an image-only (scanned) document, which needs OCR to be searchable. */
    public boolean scanned() {
        return pages > 0 && pagesWithoutText.size() == pages;
    }
}
