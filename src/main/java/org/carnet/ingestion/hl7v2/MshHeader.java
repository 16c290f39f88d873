package org.carnet.ingestion.hl7v2;

import ca.uhn.hl7v2.parser.DefaultEscaping;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The MSH segment of a message read without a parser, so that something can be said about a message HAPI
 * refuses: its character set before decoding, and the fields an ACK answers with. Values are unescaped.
 */
final class MshHeader {

    private static final DefaultEscaping ESCAPING = new DefaultEscaping();

    private final String[] fields;
    private final EncodingCharacters encoding;

    private MshHeader(String[] fields, EncodingCharacters encoding) {
        this.fields = fields;
        this.encoding = encoding;
    }

    /** The header of {@code message}, or an empty header when it does not start with an MSH segment. */
    static MshHeader of(String message) {
        String text = message == null ? "" : message.stripLeading();
        if (!text.startsWith("MSH") || text.length() < 8) {
            return new MshHeader(new String[0], EncodingCharacters.defaultInstance());
        }
        int end = text.length();
        for (char c : new char[] {'\r', '\n'}) {
            int at = text.indexOf(c);
            end = at >= 0 ? Math.min(end, at) : end;
        }
        char separator = text.charAt(3);
        String[] parts = text.substring(0, end).split(Pattern.quote(String.valueOf(separator)), -1);
        EncodingCharacters encoding;
        try {
            encoding = new EncodingCharacters(separator, parts[1]);
        } catch (RuntimeException unusual) {
            encoding = EncodingCharacters.defaultInstance();
        }
        return new MshHeader(parts, encoding);
    }

    /**
     * Component {@code component} (from 1) of the first repetition of MSH-{@code field}, unescaped; null when
     * empty. Fields are numbered as in HL7, MSH-1 being the field separator.
     */
    @org.jspecify.annotations.Nullable
    String get(int field, int component) {
        int index = field - 1;
        if (field < 3 || index >= fields.length) {
            return null;
        }
        String repetition = split(fields[index], encoding.getRepetitionSeparator())[0];
        String[] components = split(repetition, encoding.getComponentSeparator());
        if (component > components.length) {
            return null;
        }
        String value = split(components[component - 1], encoding.getSubcomponentSeparator())[0];
        value = ESCAPING.unescape(value, encoding);
        return value.isBlank() ? null : value;
    }

    /** The charset MSH-18 names: ISO 8859-1 or 8859-15 when it says so, otherwise UTF-8. */
    Charset charset() {
        String declared = get(18, 1);
        String name = declared == null ? "" : declared.strip().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "8859/1" -> StandardCharsets.ISO_8859_1;
            case "8859/15" -> Charset.forName("ISO-8859-15");
            default -> StandardCharsets.UTF_8;
        };
    }

    private static String[] split(String value, char separator) {
        return value.split(Pattern.quote(String.valueOf(separator)), -1);
    }
}
