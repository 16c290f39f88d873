package org.carnet.synthetic;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.GregorianCalendar;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.font.encoding.GlyphList;
import org.apache.pdfbox.pdmodel.font.encoding.WinAnsiEncoding;

/**
 * Renders a {@link Model.Document} as a plain text PDF, the kind of scanned-free report a practice prints to PDF
 * and uploads: A4 pages, a bold header line on each page (title, date, patient), the note wrapped at the page
 * width, as many pages as the text needs, a page number at the foot.
 *
 * <p>Contract: never throws on text content: the standard Helvetica font only encodes WinAnsi, so every other
 * character is replaced by a close equivalent (a decomposed letter without its accent, {@code ≤} by {@code <=},
 * Greek letters by their names, narrow and no-break spaces by a space) or {@code ?}, and invisible format
 * characters are dropped. Deterministic: the same inputs give byte-identical output, because the creation date
 * comes from the document's date, the producer is {@code Carnet} and the trailer's {@code /ID} is a hash of the
 * document, not of the clock. Stateless, hence thread-safe.
 */
final class PdfWriter {

    private static final PDRectangle PAGE = PDRectangle.A4;
    private static final float MARGIN = 56f;
    private static final float WIDTH = PAGE.getWidth() - 2 * MARGIN;
    private static final float HEADER_SIZE = 11f;
    private static final float HEADER_LEADING = 14f;
    private static final float BODY_SIZE = 10f;
    private static final float BODY_LEADING = 13f;
    private static final float GAP_AFTER_HEADER = 12f;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter FRENCH_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");
    private static final Set<Integer> ENCODABLE = encodable();
    private static final int SOFT_HYPHEN = 0x00AD;
    private static final Map<Integer, String> CLOSE_EQUIVALENTS = Map.ofEntries(
            Map.entry(0x2264, "<="),
            Map.entry(0x2265, ">="),
            Map.entry(0x2260, "!="),
            Map.entry(0x2248, "~"),
            Map.entry(0x2192, "->"),
            Map.entry(0x2190, "<-"),
            Map.entry(0x2194, "<->"),
            Map.entry(0x21D2, "=>"),
            Map.entry(0x2212, "-"),
            Map.entry(0x2010, "-"),
            Map.entry(0x2011, "-"),
            Map.entry(0x2012, "-"),
            Map.entry(0x2044, "/"),
            Map.entry(0x2032, "'"),
            Map.entry(0x2033, "\""),
            Map.entry(0x03BC, "µ"),
            Map.entry(0x03B1, "alpha"),
            Map.entry(0x03B2, "beta"),
            Map.entry(0x03B3, "gamma"),
            Map.entry(0x03B4, "delta"),
            Map.entry(0x03BA, "kappa"),
            Map.entry(0x03BB, "lambda"),
            Map.entry(0x0394, "Delta"),
            Map.entry(0x0142, "l"),
            Map.entry(0x0141, "L"),
            Map.entry(0x0111, "d"),
            Map.entry(0x0110, "D"),
            Map.entry(0x0131, "i"),
            Map.entry(0x2126, "Ohm"),
            Map.entry(0x2103, "°C"),
            Map.entry(0x2116, "No"),
            Map.entry(0x2153, "1/3"),
            Map.entry(0x2154, "2/3"));

    byte[] write(Model.PatientRecord patient, Model.Document document) {
        try (PDDocument pdf = new PDDocument()) {
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            List<String> header = wrap(sanitize(headerLine(patient, document)), bold, HEADER_SIZE);
            List<String> body = new ArrayList<>();
            for (String paragraph :
                    Optional.ofNullable(document.text()).orElse("").split("\\R", -1)) {
                body.addAll(wrap(sanitize(paragraph), regular, BODY_SIZE));
            }
            List<List<String>> pages = paginate(body, linesPerPage(header.size()));
            for (int i = 0; i < pages.size(); i++) {
                addPage(pdf, new Fonts(regular, bold), header, pages.get(i), (i + 1) + " / " + pages.size());
            }
            describe(pdf, document);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pdf.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Fonts(PDType1Font regular, PDType1Font bold) {}

    private static String headerLine(Model.PatientRecord patient, Model.Document document) {
        Model.Identity who = patient.identity();
        String family = Optional.ofNullable(who.usedFamily()).orElse(who.birthFamily());
        String name = family + " " + who.firstGiven();
        if (!family.equals(who.birthFamily())) {
            name += (who.sex() == Model.Sex.FEMALE ? " (née " : " (né ") + who.birthFamily() + ")";
        }
        String title = Optional.ofNullable(document.title()).orElse(document.kind().label);
        return title + " — " + document.date().format(FRENCH_DATE) + " — " + name;
    }

    private static int linesPerPage(int headerLines) {
        float available = PAGE.getHeight() - 2 * MARGIN - headerLines * HEADER_LEADING - GAP_AFTER_HEADER;
        return Math.max(1, (int) (available / BODY_LEADING));
    }

    /** At least one page, so a document without text still shows its header. */
    private static List<List<String>> paginate(List<String> lines, int perPage) {
        List<List<String>> pages = new ArrayList<>();
        for (int start = 0; start < lines.size(); start += perPage) {
            pages.add(lines.subList(start, Math.min(lines.size(), start + perPage)));
        }
        if (pages.isEmpty()) {
            pages.add(List.of());
        }
        return pages;
    }

    private static void addPage(PDDocument pdf, Fonts fonts, List<String> header, List<String> lines, String pageNumber)
            throws IOException {
        PDPage page = new PDPage(PAGE);
        pdf.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
            float top = PAGE.getHeight() - MARGIN;
            writeLines(content, fonts.bold(), HEADER_SIZE, HEADER_LEADING, top, header);
            float bodyTop = top - header.size() * HEADER_LEADING - GAP_AFTER_HEADER;
            writeLines(content, fonts.regular(), BODY_SIZE, BODY_LEADING, bodyTop, lines);
            writeLines(content, fonts.regular(), 8f, 10f, MARGIN / 2, List.of(pageNumber));
        }
    }

    private static void writeLines(
            PDPageContentStream content, PDType1Font font, float size, float leading, float top, List<String> lines)
            throws IOException {
        content.beginText();
        content.setFont(font, size);
        content.setLeading(leading);
        content.newLineAtOffset(MARGIN, top);
        for (String line : lines) {
            content.showText(line);
            content.newLine();
        }
        content.endText();
    }

    private static void describe(PDDocument pdf, Model.Document document) {
        PDDocumentInformation info = pdf.getDocumentInformation();
        info.setTitle(Optional.ofNullable(document.title()).orElse(document.kind().label));
        info.setSubject(document.kind().label);
        info.setProducer("Carnet");
        info.setCreator("Carnet synthetic data");
        info.setCreationDate(GregorianCalendar.from(ZonedDateTime.of(document.date(), PARIS)));
        // PDFBox would otherwise derive /ID from the current time, making every run differ
        COSString id = new COSString(digest(document));
        COSArray ids = new COSArray();
        ids.add(id);
        ids.add(id);
        pdf.getDocument().setDocumentID(ids);
    }

    private static byte[] digest(Model.Document document) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(document.uniqueId().getBytes(StandardCharsets.UTF_8));
            sha.update(document.date().toString().getBytes(StandardCharsets.UTF_8));
            sha.update(Optional.ofNullable(document.text()).orElse("").getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(sha.digest(), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Greedy word wrap at the text width; a word longer than a whole line is cut. */
    static List<String> wrap(String paragraph, PDType1Font font, float size) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : paragraph.strip().split(" +")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (width(candidate, font, size) <= WIDTH) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            String rest = word;
            while (width(rest, font, size) > WIDTH) {
                int cut = longestFittingPrefix(rest, font, size);
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut);
            }
            line.append(rest);
        }
        lines.add(line.toString());
        return lines;
    }

    private static int longestFittingPrefix(String word, PDType1Font font, float size) {
        int cut = word.offsetByCodePoints(0, 1);
        while (cut < word.length()) {
            int next = word.offsetByCodePoints(cut, 1);
            if (width(word.substring(0, next), font, size) > WIDTH) {
                break;
            }
            cut = next;
        }
        return cut;
    }

    private static float width(String text, PDType1Font font, float size) {
        try {
            return font.getStringWidth(text) * size / 1000f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps only what Helvetica's WinAnsi encoding can show; see the class contract for the replacements. */
    static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.append(replacement(c)));
        return out.toString();
    }

    private static String replacement(int c) {
        if (c == SOFT_HYPHEN) {
            // WinAnsi has it, but PDF viewers draw it as a visible hyphen in the middle of a word
            return "";
        }
        if (ENCODABLE.contains(c)) {
            return Character.toString(c);
        }
        if (c == '\t') {
            return "    ";
        }
        String equivalent = CLOSE_EQUIVALENTS.get(c);
        if (equivalent != null) {
            return equivalent;
        }
        String withoutMarks =
                Normalizer.normalize(Character.toString(c), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        if (!withoutMarks.isEmpty() && withoutMarks.codePoints().allMatch(ENCODABLE::contains)) {
            return withoutMarks;
        }
        if (Character.isSpaceChar(c) || Character.isWhitespace(c)) {
            return " ";
        }
        int type = Character.getType(c);
        boolean invisible = type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
        return invisible ? "" : "?";
    }

    /** The code points Helvetica shows through WinAnsi, checked against the font itself. */
    private static Set<Integer> encodable() {
        PDType1Font probe = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        GlyphList glyphs = GlyphList.getAdobeGlyphList();
        Set<Integer> codePoints = new HashSet<>();
        for (String glyph : WinAnsiEncoding.INSTANCE.getCodeToNameMap().values()) {
            String unicode = glyphs.toUnicode(glyph);
            if (unicode == null || unicode.codePointCount(0, unicode.length()) != 1 || unicode.charAt(0) < 0x20) {
                continue;
            }
            try {
                probe.encode(unicode);
                codePoints.add(unicode.codePointAt(0));
            } catch (IllegalArgumentException | IOException e) {
                // a WinAnsi name the font has no glyph for: leave it to the replacements
            }
        }
        return Set.copyOf(codePoints);
    }
}
