package org.carnet.record;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** How string search compares: case- and accent-insensitive ("Hélène" finds "helene"). */
final class Text {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private Text() {}

    static String normalize(String value) {
        String decomposed = Normalizer.normalize(value, Normalizer.Form.NFD);
        return MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT).trim();
    }
}
