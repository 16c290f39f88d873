package org.carnet.ingestion.pdf;

import java.nio.file.Path;
import org.carnet.document.ContentText;
import org.springframework.stereotype.Component;

/** The text of PDF contents (PDFBox, bounded memory), for every route a PDF document takes. */
@Component
class PdfContentText implements ContentText {

    @Override
    public boolean reads(String contentType) {
        return contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/pdf");
    }

    @Override
    public Extracted extract(Path file) throws UnreadableContentException {
        try {
            PdfContent pdf = PdfText.read(file);
            return new Extracted(
                    pdf.text(),
                    pdf.scanned(),
                    !pdf.scanned() && !pdf.pagesWithoutText().isEmpty());
        } catch (PdfException e) {
            throw new UnreadableContentException(
                    java.util.Objects.requireNonNull(e.getMessage(), "a PdfException has its reason"));
        }
    }
}
