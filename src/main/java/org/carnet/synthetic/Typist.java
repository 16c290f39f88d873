package org.carnet.synthetic;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The marks of hurried typing and dictation on a line: slipped keys, missing accents, acronyms with or without dots
 * ("H.T.A.", "HTA", "hta"), upper-cased headings, the homophones of speech recognition. Each author types in their
 * own way ({@link Style}); every note is a little different.
 *
 * <p>Lines that carry a judged mention are only given artefacts that keep the concept's surface form findable by
 * {@link Concepts#mentions(String, String)} (case and accents, which it folds): a typo in "chute" would make the
 * ground truth lie. Deterministic for a random state; stateless.
 */
final class Typist {

    /**
     * @param typoRate chance that a word of four letters or more is mistyped
     * @param accentless chance that a whole note is typed without accents
     * @param acronyms 0 as written (HTA), 1 with dots (H.T.A.), 2 lower case (hta)
     * @param shoutedHeadings headings ("Examen :") in capitals
     * @param dictated speech recognition: homophones now and then
     */
    record Style(double typoRate, double accentless, int acronyms, boolean shoutedHeadings, boolean dictated) {

        static final Style CLEAN = new Style(0, 0, 0, false, false);

        static Style draw(SplittableRandom random) {
            return new Style(
                    0.002 + random.nextDouble() * 0.02,
                    random.nextInt(4) == 0 ? 0.5 + random.nextDouble() * 0.5 : random.nextDouble() * 0.05,
                    random.nextInt(3),
                    random.nextInt(3) == 0,
                    random.nextInt(4) == 0);
        }
    }

    /** Acronyms that no concept's surface form uses, so dotting or lower-casing them never hides a mention. */
    private static final Pattern ACRONYM = Pattern.compile(
            "\\b(HTA|ECG|IDE|ATCD|NFS|INR|RAS|CAT|HDM|TA|FC|AOD|AVK|DFG|MMSE|EHPAD|SSR|OMI|BDC|ADL|IADL|GIR|APA|SSIAD|"
                    + "CRP|TSH|ETT|MAPA|HBPM|VVP|AAP|EVA|SAD)\\b");

    private static final Pattern WORD = Pattern.compile("\\p{L}{4,}");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private static final Map<String, String> HOMOPHONES = Map.of(
            " à ", " a ",
            " est ", " et ",
            " ses ", " ces ",
            " son ", " sont ",
            " tension ", " tention ",
            " peu ", " peut ",
            " ou ", " où ",
            " la ", " là ");

    private static final List<String> KEYBOARD = List.of("azertyuiop", "qsdfghjklm", "wxcvbn");

    private Typist() {}

    /** The state of one note being typed: whether it goes without accents, and the author's acronyms today. */
    record Sitting(Style style, boolean accentless, int acronyms) {

        static Sitting of(Style style, SplittableRandom random) {
            return new Sitting(
                    style,
                    random.nextDouble() < style.accentless(),
                    random.nextInt(10) == 0 ? random.nextInt(3) : style.acronyms());
        }
    }

    static String type(String line, Sitting sitting, boolean carriesMention, SplittableRandom random) {
        if (line.isEmpty()) {
            return line;
        }
        String text = line;
        if (!carriesMention) {
            text = acronyms(text, sitting.acronyms());
            if (sitting.style().dictated() && random.nextInt(6) == 0) {
                text = homophone(text, random);
            }
            text = typos(text, sitting.style().typoRate(), random);
        } else if (sitting.acronyms() == 2) {
            text = acronyms(text, 2);
        }
        if (sitting.style().shoutedHeadings() && text.endsWith(":") && text.length() < 40) {
            text = text.toUpperCase(Locale.ROOT);
        }
        if (sitting.accentless()) {
            text = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD))
                    .replaceAll("");
        }
        return text;
    }

    private static String acronyms(String text, int style) {
        if (style == 0) {
            return text;
        }
        Matcher m = ACRONYM.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String acronym = m.group(1);
            String written = style == 2 ? acronym.toLowerCase(Locale.ROOT) : String.join(".", acronym.split("")) + ".";
            m.appendReplacement(out, Matcher.quoteReplacement(written));
        }
        m.appendTail(out);
        return out.toString().replace("..", ".");
    }

    private static String homophone(String text, SplittableRandom random) {
        List<String> keys = HOMOPHONES.keySet().stream().sorted().toList();
        String key = keys.get(random.nextInt(keys.size()));
        int at = text.indexOf(key);
        return at < 0 ? text : text.substring(0, at) + HOMOPHONES.get(key) + text.substring(at + key.length());
    }

    private static String typos(String text, double rate, SplittableRandom random) {
        if (rate <= 0) {
            return text;
        }
        Matcher m = WORD.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (random.nextDouble() >= rate) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 4);
            }
            out.append(text, last, m.start()).append(slip(m.group(), random));
            last = m.end();
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    /** One slip of the fingers: two letters swapped, one dropped, one doubled, or a neighbouring key. */
    private static String slip(String word, SplittableRandom random) {
        int i = 1 + random.nextInt(word.length() - 2);
        return switch (random.nextInt(4)) {
            case 0 -> word.substring(0, i) + word.charAt(i + 1) + word.charAt(i) + word.substring(i + 2);
            case 1 -> word.substring(0, i) + word.substring(i + 1);
            case 2 -> word.substring(0, i) + word.charAt(i) + word.substring(i);
            default -> word.substring(0, i) + neighbour(word.charAt(i), random) + word.substring(i + 1);
        };
    }

    private static char neighbour(char c, SplittableRandom random) {
        for (String row : KEYBOARD) {
            int at = row.indexOf(Character.toLowerCase(c));
            if (at >= 0) {
                int next = at == 0 ? 1 : at == row.length() - 1 ? at - 1 : at + (random.nextBoolean() ? 1 : -1);
                return row.charAt(next);
            }
        }
        return c;
    }
}
