package org.carnet.synthetic;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small grammar of paraphrases: a template says a thing several ways, and each expansion draws one.
 *
 * <ul>
 *   <li>{@code {a|b|c}} one of the alternatives (they nest: {@code {pas de {chute|nouvelle chute}|aucune chute}});
 *   <li>{@code [clause]} an optional clause, written one time in two;
 *   <li>{@code $slot} a value from the slots given to the expansion (a drawn word from a lexicon, a date, a
 *       name), or left as written when there is no such slot.
 * </ul>
 *
 * <p>Each author has a {@link Voice}: at every choice the voice prefers one alternative of its own (the same one
 * every time for that choice), and takes it with its loyalty, so that a nurse keeps her turns of phrase from one
 * note to the next while two nurses say the same thing differently. Deterministic for a random state; stateless.
 */
final class Grammar {

    private Grammar() {}

    /**
     * How one author writes: which alternative they favour at each choice and how faithfully.
     *
     * @param seed picks the favoured alternatives
     * @param loyalty the chance of taking the favoured alternative rather than drawing freely
     */
    record Voice(long seed, double loyalty) {

        static final Voice ANYONE = new Voice(0, 0);

        int choose(int choice, int alternatives, SplittableRandom random) {
            if (alternatives == 1) {
                return 0;
            }
            if (loyalty > 0 && random.nextDouble() < loyalty) {
                return (int) Math.floorMod(mix(seed ^ (choice * 0x9E3779B97F4A7C15L)), (long) alternatives);
            }
            return random.nextInt(alternatives);
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    /** Expands {@code template} in the author's voice with the slots given (a slot's value is not expanded). */
    static String expand(String template, Map<String, String> slots, Voice voice, SplittableRandom random) {
        StringBuilder out = new StringBuilder(template.length());
        expand(template, 0, template.length(), slots, voice, random, out);
        return tidy(out);
    }

    static String expand(String template, Voice voice, SplittableRandom random) {
        return expand(template, Map.of(), voice, random);
    }

    /** One of the templates, expanded. */
    static String any(List<String> templates, Map<String, String> slots, Voice voice, SplittableRandom random) {
        int index = voice.choose(templates.hashCode() ^ templates.size(), templates.size(), random);
        return expand(templates.get(index), slots, voice, random);
    }

    private static void expand(
            String t,
            int from,
            int to,
            Map<String, String> slots,
            Voice voice,
            SplittableRandom random,
            StringBuilder out) {
        int i = from;
        while (i < to) {
            char c = t.charAt(i);
            if (c == '{') {
                int end = closing(t, i, '{', '}');
                List<int[]> parts = alternatives(t, i + 1, end);
                int[] part = parts.get(voice.choose(t.hashCode() * 31 + i, parts.size(), random));
                expand(t, part[0], part[1], slots, voice, random, out);
                i = end + 1;
            } else if (c == '[') {
                int end = closing(t, i, '[', ']');
                if (random.nextBoolean()) {
                    expand(t, i + 1, end, slots, voice, random, out);
                }
                i = end + 1;
            } else if (c == '$') {
                int end = i + 1;
                while (end < to && (Character.isLetterOrDigit(t.charAt(end)) || t.charAt(end) == '_')) {
                    end++;
                }
                String name = t.substring(i + 1, end);
                String value = slots.get(name);
                out.append(value != null ? value : t.substring(i, end));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
    }

    private static int closing(String t, int open, char up, char down) {
        int depth = 0;
        for (int i = open; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == up) {
                depth++;
            } else if (c == down && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("Unbalanced " + up + " in template: " + t);
    }

    /** The bounds of each alternative between {@code from} and {@code to}, split on top-level bars. */
    private static List<int[]> alternatives(String t, int from, int to) {
        List<int[]> parts = new java.util.ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == '|' && depth == 0) {
                parts.add(new int[] {start, i});
                start = i + 1;
            }
        }
        parts.add(new int[] {start, to});
        return parts;
    }

    /** Optional clauses leave double spaces and spaces before commas: close them up. */
    private static String tidy(StringBuilder text) {
        String s = text.toString();
        if (s.indexOf("  ") < 0 && s.indexOf(" ,") < 0 && s.indexOf(" .") < 0) {
            return s;
        }
        return s.replaceAll(" {2,}", " ").replace(" ,", ",").replace(" .", ".").replace(",.", ".");
    }
}
