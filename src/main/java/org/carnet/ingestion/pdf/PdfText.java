package org.carnet.ingestion.pdf;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * The text of a PDF, page by page, with the pages that have none (scanned) and the document information.
 *
 * <p>Memory stays bounded whatever the file's size: the file is read through PDFBox's buffered file access (a
 * fixed cache of small pages of the file), stream data is read from the file when needed rather than copied, the
 * few streams PDFBox must hold go to a scratch file past {@link #SCRATCH_IN_MEMORY}, and pages are processed one
 * at a time. Images are never decoded. The text kept is capped at {@link PdfContent#MAX_TEXT} characters.
 *
 * <p>A file is refused, with a {@link PdfException} saying why, when it has no {@code %PDF-} header in its first
 * 1024 bytes, when it has no {@code %%EOF} in its last 1024 bytes (a truncated download or upload: PDFBox would
 * often recover part of it, and a partial text passed off as the whole document is worse than a refusal), when
 * it needs a password, or when PDFBox cannot parse it. A PDF encrypted with an owner password only opens for
 * anyone and is read, whatever permissions it declares: they restrict viewers' features, and this is the record
 * holder's own document. Stateless, hence thread-safe.
 */
public final class PdfText {

    /** Stream data PDFBox may keep in the heap before it moves to a scratch file. */
    static final long SCRATCH_IN_MEMORY = 1024 * 1024;

    private static final int FRAME = 1024;

    private PdfText() {}

    /** Reads the PDF at {@code pdf}. */
    public static PdfContent read(Path pdf) throws PdfException {
        return read(pdf, page -> {});
    }

    /** Same, calling {@code pageDone} with each page's number once its text is taken, the document still open. */
    static PdfContent read(Path pdf, IntConsumer pageDone) throws PdfException {
        checkFrame(pdf);
        try (RandomAccessRead file = new RandomAccessReadBufferedFile(pdf);
                PDDocument document = Loader.loadPDF(
                        file, "", null, null, MemoryUsageSetting.setupMixed(SCRATCH_IN_MEMORY).streamCache)) {
            PageTexts texts = new PageTexts(pageDone);
            texts.writeText(document, texts.page);
            int pages = document.getNumberOfPages();
            texts.pagesUpTo(pages);
            PDDocumentInformation info = document.getDocumentInformation();
            return new PdfContent(
                    pages,
                    texts.text.toString(),
                    texts.withoutText,
                    present(info.getTitle()),
                    present(info.getAuthor()),
                    instant(info.getCreationDate()));
        } catch (InvalidPasswordException e) {
            throw new PdfException("the PDF is encrypted and cannot be read", e);
        } catch (IOException | RuntimeException e) {
            // PDFBox reports malformed input with runtime exceptions too (casts, indexes): the file is at fault
            throw new PdfException(
                    "damaged PDF: "
                            + Objects.requireNonNullElse(
                                    e.getMessage(), e.getClass().getSimpleName()),
                    e);
        }
    }

    private static void checkFrame(Path pdf) throws PdfException {
        try (SeekableByteChannel channel = Files.newByteChannel(pdf)) {
            long size = channel.size();
            if (!latin1(channel, 0, (int) Math.min(FRAME, size)).contains("%PDF-")) {
                throw new PdfException("not a PDF (no %PDF header)");
            }
            long tail = Math.max(0, size - FRAME);
            if (!latin1(channel, tail, (int) (size - tail)).contains("%%EOF")) {
                throw new PdfException("damaged PDF: truncated (no %%EOF marker in its last " + FRAME + " bytes)");
            }
        } catch (IOException e) {
            throw new PdfException("cannot read the file " + pdf.getFileName() + ": " + e, e);
        }
    }

    private static String latin1(SeekableByteChannel channel, long from, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        channel.position(from);
        while (bytes.hasRemaining()) {
            if (channel.read(bytes) < 0) {
                break;
            }
        }
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.ISO_8859_1);
    }

    private static @org.jspecify.annotations.Nullable String present(@org.jspecify.annotations.Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static @org.jspecify.annotations.Nullable Instant instant(
            @org.jspecify.annotations.Nullable Calendar calendar) {
        return calendar == null ? null : calendar.toInstant();
    }

    /**
     * Collapses each run of whitespace to one space, or to one line break when the run holds one, and trims; control
     * characters go. Non-breaking spaces count as spaces (French typography puts them before {@code : ; ! ?}).
     */
    static String normalise(CharSequence raw) {
        StringBuilder out = new StringBuilder(raw.length());
        boolean space = false;
        boolean lineBreak = false;
        for (int i = 0; i < raw.length(); ) {
            int c = Character.codePointAt(raw, i);
            i += Character.charCount(c);
            if (c == '\n' || c == '\r' || c == '\f' || c == 0x0B || c == 0x2028 || c == 0x2029) {
                lineBreak = true;
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = true;
            } else if (!Character.isISOControl(c)) {
                if (!out.isEmpty() && (lineBreak || space)) {
                    out.append(lineBreak ? '\n' : ' ');
                }
                space = false;
                lineBreak = false;
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }

    /**
     * PDFBox's text stripper, run once over the whole document, taking each page's text when the page ends: asking
     * it for one page at a time would walk the page tree again for every page.
     */
    private static final class PageTexts extends PDFTextStripper {

        final PageBuffer page = new PageBuffer();
        final StringBuilder text = new StringBuilder();
        final List<Integer> withoutText = new ArrayList<>();
        private final IntConsumer pageDone;
        private int lastPage;

        PageTexts(IntConsumer pageDone) {
            this.pageDone = pageDone;
            setLineSeparator("\n");
        }

        @Override
        protected void endPage(PDPage pdPage) throws IOException {
            super.endPage(pdPage);
            int number = getCurrentPageNo();
            // pages without a content stream are skipped by the stripper: they have no text
            pagesUpTo(number - 1);
            String pageText = normalise(page.content);
            page.content.setLength(0);
            if (pageText.isEmpty()) {
                withoutText.add(number);
            } else {
                append(pageText);
            }
            lastPage = number;
            pageDone.accept(number);
        }

        void pagesUpTo(int number) {
            for (int missing = lastPage + 1; missing <= number; missing++) {
                withoutText.add(missing);
            }
            lastPage = Math.max(lastPage, number);
        }

        private void append(String pageText) {
            String separator = text.isEmpty() ? "" : "\n\n";
            int room = PdfContent.MAX_TEXT - text.length() - separator.length();
            if (room <= 0) {
                return;
            }
            int end = Math.min(room, pageText.length());
            if (end < pageText.length() && end > 0 && Character.isHighSurrogate(pageText.charAt(end - 1))) {
                end--;
            }
            text.append(separator).append(pageText, 0, end);
        }
    }

    /** Where the stripper writes a page; past {@link PdfContent#MAX_TEXT} characters, the rest of it is dropped. */
    private static final class PageBuffer extends Writer {

        final StringBuilder content = new StringBuilder();

        @Override
        public void write(char[] chars, int offset, int length) {
            content.append(chars, offset, Math.max(0, Math.min(length, PdfContent.MAX_TEXT - content.length())));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
