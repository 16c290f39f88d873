package org.carnet.ingestion.hl7v2;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Resolves HL7's hexadecimal escapes ({@code \Xhh...\}: bytes in the message's character set) before parsing, which
 * the parser leaves as they are: {@code \XC3A9\} in a UTF-8 message is {@code é}. A decoded character that is a
 * delimiter is written back as its named escape ({@code \F\}, {@code \S\}, {@code \T\}, {@code \R\}, {@code \E\}) so
 * the message's structure never changes; a control character is dropped. Escapes are read left to right from each
 * segment's start, so {@code \E\X41\E\} stays the text {@code \X41\}. The MSH segment's encoding characters are left
 * alone.
 */
final class Hl7Escapes {

    private Hl7Escapes() {}

    /** The message with its hexadecimal escapes resolved; segments end with {@code \r}. */
    static String resolveHex(String message) {
        if (!message.contains("\\X") && !message.contains("\\x")) {
            return message;
        }
        char field = message.length() > 3 ? message.charAt(3) : '|';
        String encoding = message.length() > 8 ? message.substring(4, 8) : "^~\\&";
        char component = encoding.charAt(0);
        char repetition = encoding.charAt(1);
        char escape = encoding.charAt(2);
        char subcomponent = encoding.charAt(3);
        StringBuilder out = new StringBuilder(message.length());
        int i = 0;
        for (String segment : message.split("\r", -1)) {
            if (i++ > 0) {
                out.append('\r');
            }
            int from = 0;
            if (segment.startsWith("MSH") && segment.length() > 8) {
                out.append(segment, 0, 8);
                from = 8;
            }
            for (int at = from; at < segment.length(); at++) {
                char c = segment.charAt(at);
                int end = c == escape ? segment.indexOf(escape, at + 1) : -1;
                if (end < 0) {
                    out.append(c);
                    continue;
                }
                String sequence = segment.substring(at + 1, end);
                String decoded = sequence.length() > 1 && (sequence.charAt(0) == 'X' || sequence.charAt(0) == 'x')
                        ? hex(sequence.substring(1))
                        : null;
                if (decoded == null) {
                    out.append(segment, at, end + 1);
                } else {
                    for (char d : decoded.toCharArray()) {
                        String named = d == field
                                ? "F"
                                : d == component
                                        ? "S"
                                        : d == subcomponent ? "T" : d == repetition ? "R" : d == escape ? "E" : null;
                        if (named != null) {
                            out.append(escape).append(named).append(escape);
                        } else if (!Character.isISOControl(d)) {
                            out.append(d);
                        }
                    }
                }
                at = end;
            }
        }
        return out.toString();
    }

    /** Hex digits as text: UTF-8 when they decode as such, else ISO 8859-1; null when they are not hex. */
    private static @org.jspecify.annotations.Nullable String hex(String digits) {
        if (digits.length() % 2 != 0) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
