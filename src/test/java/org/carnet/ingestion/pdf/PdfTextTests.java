package org.carnet.ingestion.pdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.carnet.synthetic.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("measures the heap: another test running beside it would change the figures")
class PdfTextTests {

    private static final long MB = 1024 * 1024;

    @TempDir
    Path temp;

    @Test
    void extractsTheTextOfEveryPageWithNormalisedWhitespace() throws Exception {
        Path pdf = build(document -> {
            Pdfs.textPage(document, "Compte rendu   de consultation", "Tension 12/8,    pas de chute.");
            Pdfs.textPage(document, "Conclusion : surveillance.");
        });

        PdfContent content = PdfText.read(pdf);

        assertThat(content.pages()).isEqualTo(2);
        assertThat(content.text())
                .isEqualTo("Compte rendu de consultation\nTension 12/8, pas de chute.\n\nConclusion : surveillance.");
        assertThat(content.pagesWithoutText()).isEmpty();
        assertThat(content.scanned()).isFalse();
    }

    @Test
    void readsTitleAuthorAndCreationDateFromTheDocumentInformation() throws Exception {
        GregorianCalendar created = new GregorianCalendar(TimeZone.getTimeZone("Europe/Paris"));
        created.clear();
        created.set(2024, 6, 15, 10, 30, 0);
        Path pdf = build(document -> {
            Pdfs.textPage(document, "Ordonnance");
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle("  Ordonnance du 15 juillet ");
            info.setAuthor("Dr Martin");
            info.setCreationDate(created);
        });

        PdfContent content = PdfText.read(pdf);

        assertThat(content.title()).isEqualTo("Ordonnance du 15 juillet");
        assertThat(content.author()).isEqualTo("Dr Martin");
        assertThat(content.created()).isEqualTo(Instant.parse("2024-07-15T08:30:00Z"));
    }

    @Test
    void absentDocumentInformationIsNull() throws Exception {
        Path pdf = build(document -> Pdfs.textPage(document, "Sans titre"));

        PdfContent content = PdfText.read(pdf);

        assertThat(content.title()).isNull();
        assertThat(content.author()).isNull();
        assertThat(content.created()).isNull();
    }

    @Test
    void aDocumentOfImagesOnlyIsScanned() throws Exception {
        Path pdf = build(document -> {
            Pdfs.imagePage(document);
            Pdfs.imagePage(document);
        });

        PdfContent content = PdfText.read(pdf);

        assertThat(content.pages()).isEqualTo(2);
        assertThat(content.text()).isEmpty();
        assertThat(content.pagesWithoutText()).containsExactly(1, 2);
        assertThat(content.scanned()).isTrue();
    }

    @Test
    void aMixedDocumentListsItsPagesWithoutText() throws Exception {
        Path pdf = build(document -> {
            Pdfs.textPage(document, "Page un");
            Pdfs.imagePage(document);
            Pdfs.textPage(document, "Page trois");
        });

        PdfContent content = PdfText.read(pdf);

        assertThat(content.pagesWithoutText()).containsExactly(2);
        assertThat(content.scanned()).isFalse();
        assertThat(content.text()).isEqualTo("Page un\n\nPage trois");
    }

    @Test
    void pagesWithoutAnyContentStreamCountAsPagesWithoutText() throws Exception {
        Path pdf = build(document -> {
            document.addPage(new PDPage());
            Pdfs.textPage(document, "Deuxième page");
            document.addPage(new PDPage());
        });

        PdfContent content = PdfText.read(pdf);

        assertThat(content.pages()).isEqualTo(3);
        assertThat(content.pagesWithoutText()).containsExactly(1, 3);
        assertThat(content.text()).isEqualTo("Deuxième page");
    }

    @Test
    void readsTheGeneratorsPdfs() throws Exception {
        Path out = temp.resolve("synthetic");
        new SyntheticData(new SyntheticData.Options(
                        SyntheticData.Profile.DEMO, 11, 2, Set.of("pdf"), SyntheticData.DEFAULT_TODAY))
                .writeTo(out, done -> {});
        List<Path> pdfs;
        try (Stream<Path> files = Files.list(out.resolve("pdf"))) {
            pdfs = files.filter(f -> f.toString().endsWith(".pdf")).toList(); // not their import sidecars
        }
        assertThat(pdfs).isNotEmpty();

        for (Path pdf : pdfs) {
            PdfContent content = PdfText.read(pdf);

            assertThat(content.pages()).as(pdf.toString()).isPositive();
            assertThat(content.pagesWithoutText()).as(pdf.toString()).isEmpty();
            assertThat(content.text()).as(pdf.toString()).isNotBlank().doesNotContain("  ");
            assertThat(content.title()).as(pdf.toString()).isNotBlank();
            assertThat(content.created()).as(pdf.toString()).isNotNull();
        }
    }

    @Test
    void refusesAFileThatIsNotAPdf() throws Exception {
        Path text = Files.writeString(temp.resolve("note.pdf"), "Compte rendu, en texte brut\n");
        Path empty = Files.write(temp.resolve("empty.pdf"), new byte[0]);

        assertThatThrownBy(() -> PdfText.read(text))
                .isInstanceOf(PdfException.class)
                .hasMessage("not a PDF (no %PDF header)");
        assertThatThrownBy(() -> PdfText.read(empty)).hasMessage("not a PDF (no %PDF header)");
    }

    @Test
    void refusesAPdfThatNeedsAPassword() throws Exception {
        Path pdf = build(document -> {
            Pdfs.textPage(document, "Confidentiel");
            StandardProtectionPolicy policy =
                    new StandardProtectionPolicy("owner-secret", "user-secret", new AccessPermission());
            policy.setEncryptionKeyLength(256);
            document.protect(policy);
        });

        assertThatThrownBy(() -> PdfText.read(pdf))
                .isInstanceOf(PdfException.class)
                .hasMessage("the PDF is encrypted and cannot be read");
    }

    @Test
    void readsAPdfEncryptedWithAnOwnerPasswordOnly() throws Exception {
        Path pdf = build(document -> {
            Pdfs.textPage(document, "Lisible sans mot de passe");
            AccessPermission noCopy = new AccessPermission();
            noCopy.setCanExtractContent(false);
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "", noCopy);
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
        });

        assertThat(PdfText.read(pdf).text()).isEqualTo("Lisible sans mot de passe");
    }

    @Test
    void refusesATruncatedPdf() throws Exception {
        Path whole = build(document -> {
            Pdfs.textPage(document, "Début");
            Pdfs.textPage(document, "Fin");
        });
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(temp.resolve("truncated.pdf"), Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> PdfText.read(truncated))
                .isInstanceOf(PdfException.class)
                .hasMessage("damaged PDF: truncated (no %%EOF marker in its last 1024 bytes)");
    }

    @Test
    void refusesAPdfWhoseBodyCannotBeParsed() throws Exception {
        Path pdf = Files.writeString(
                temp.resolve("garbage.pdf"),
                "%PDF-1.7\nnot an object, no catalog, no cross-reference table\n%%EOF\n",
                StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> PdfText.read(pdf))
                .isInstanceOf(PdfException.class)
                .hasMessageStartingWith("damaged PDF: ");
    }

    @Test
    void saysWhenTheFileCannotBeRead() {
        assertThatThrownBy(() -> PdfText.read(temp.resolve("missing.pdf")))
                .isInstanceOf(PdfException.class)
                .hasMessageStartingWith("cannot read the file missing.pdf: ");
    }

    @Test
    void normalisingCollapsesSpacesAndLineBreaksAndTrims() {
        assertThat(PdfText.normalise("  Tension\t 12/8\u00A0: normale \r\n\r\n\f suite\u0000 "))
                .isEqualTo("Tension 12/8 : normale\nsuite");
    }

    /**
     * A 60 MB PDF (a megabyte of incompressible image per page) read while the document is open, after its last
     * page: the heap it holds then, after garbage collection, must stay far below the file's size.
     */
    @Test
    void readsALargePdfWithoutHoldingItInTheHeap() throws Exception {
        int pages = 60;
        Path pdf = temp.resolve("large.pdf");
        writeLargePdf(pdf, pages);
        assertThat(Files.size(pdf)).isGreaterThan(60 * 1_000_000L);
        long before = retainedHeap();
        long[] whileOpen = new long[1];

        PdfContent content = PdfText.read(pdf, page -> {
            if (page == pages) {
                whileOpen[0] = retainedHeap();
            }
        });

        long growth = whileOpen[0] - before;
        System.out.printf(
                "PdfTextTests: %,d-byte PDF read with %,d bytes of retained heap growth%n", Files.size(pdf), growth);
        assertThat(content.pages()).isEqualTo(pages);
        assertThat(content.pagesWithoutText()).isEmpty();
        assertThat(content.text()).startsWith("Page 1\n\nPage 2").endsWith("Page 60");
        assertThat(growth).isLessThan(48 * MB);
        Files.delete(pdf);
    }

    private interface Content {
        void fill(PDDocument document) throws IOException;
    }

    private Path build(Content content) throws IOException {
        Path pdf = Files.createTempFile(temp, "test", ".pdf");
        try (PDDocument document = new PDDocument()) {
            content.fill(document);
            document.save(pdf.toFile());
        }
        return pdf;
    }

    /**
     * Each page a line of text and a 1 MiB grey image of random bytes, stored unfiltered; the document's streams
     * live in a scratch file, so neither writing nor the test holds the 60 MB in the heap.
     */
    private static void writeLargePdf(Path pdf, int pages) throws IOException {
        SplittableRandom random = new SplittableRandom(6);
        byte[] chunk = new byte[64 * 1024];
        try (PDDocument document = new PDDocument(IOUtils.createTempFileOnlyStreamCache())) {
            for (int number = 1; number <= pages; number++) {
                COSStream pixels = document.getDocument().createCOSStream();
                try (OutputStream out = pixels.createRawOutputStream()) {
                    for (int written = 0; written < MB; written += chunk.length) {
                        random.nextBytes(chunk);
                        out.write(chunk);
                    }
                }
                pixels.setItem(COSName.TYPE, COSName.XOBJECT);
                pixels.setItem(COSName.SUBTYPE, COSName.IMAGE);
                pixels.setInt(COSName.WIDTH, 1024);
                pixels.setInt(COSName.HEIGHT, 1024);
                pixels.setInt(COSName.BITS_PER_COMPONENT, 8);
                pixels.setItem(COSName.COLORSPACE, COSName.DEVICEGRAY);
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                try (PDPageContentStream stream = new PDPageContentStream(document, page)) {
                    stream.drawImage(new PDImageXObject(new PDStream(pixels), null), 72, 200, 450, 450);
                    stream.beginText();
                    stream.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    stream.newLineAtOffset(72, 770);
                    stream.showText("Page " + number);
                    stream.endText();
                }
            }
            document.save(pdf.toFile());
        }
    }

    private static long retainedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
