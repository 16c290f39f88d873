package org.carnet.ingestion.pdf;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;

/** Real PDFs for tests, made with PDFBox: text pages, and pages that are only a picture (a scan). */
public final class Pdfs {

    private Pdfs() {}

    /** A one-page PDF with these lines of text. */
    public static byte[] text(String... lines) throws IOException {
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            textPage(document, lines);
            document.save(out);
            return out.toByteArray();
        }
    }

    /** A one-page PDF holding a picture and no text. */
    public static byte[] imageOnly() throws IOException {
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            imagePage(document);
            document.save(out);
            return out.toByteArray();
        }
    }

    static void textPage(PDDocument document, String... lines) throws IOException {
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        try (PDPageContentStream stream = new PDPageContentStream(document, page)) {
            stream.beginText();
            stream.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
            stream.setLeading(16);
            stream.newLineAtOffset(72, 770);
            for (String line : lines) {
                stream.showText(line);
                stream.newLine();
            }
            stream.endText();
        }
    }

    /** A page holding a picture of text, as a scanner makes, and no text. */
    static void imagePage(PDDocument document) throws IOException {
        BufferedImage picture = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = picture.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, 200, 100);
        graphics.setColor(Color.BLACK);
        graphics.drawString("Scanné", 20, 50);
        graphics.dispose();
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        try (PDPageContentStream stream = new PDPageContentStream(document, page)) {
            stream.drawImage(LosslessFactory.createFromImage(document, picture), 72, 600, 400, 200);
        }
    }
}
