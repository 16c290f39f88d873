package org.carnet.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A 64-bit SimHash of a text's word trigrams, digits masked and accents, case and spacing ignored: two texts that
 * differ by a date, a dose or a few words (the same letter filed twice, a note copied forward with a line changed)
 * are a few bits apart, unrelated texts about 32.
 */
final class Fingerprints {

    /** Hamming distance at or under which two entries are shown as copies of each other. */
    static final int NEAR = 6;

    private Fingerprints() {}

    static long of(String text) {
        String[] words = ClinicalAnalysis.normalise(text) // lower-cased and folded already
                .replaceAll("\\d", "0")
                .split("[^\\p{L}0]+");
        int[] weights = new int[64];
        int shingles = 0;
        for (int i = 0; i + 2 < words.length || (i == 0 && words.length > 0); i++) {
            String shingle =
                    i + 2 < words.length ? words[i] + ' ' + words[i + 1] + ' ' + words[i + 2] : String.join(" ", words);
            if (shingle.isBlank()) {
                continue;
            }
            long hash = mix(shingle);
            for (int bit = 0; bit < 64; bit++) {
                weights[bit] += ((hash >>> bit) & 1L) == 1L ? 1 : -1;
            }
            shingles++;
        }
        if (shingles == 0) {
            return 0L;
        }
        long fingerprint = 0L;
        for (int bit = 0; bit < 64; bit++) {
            if (weights[bit] > 0) {
                fingerprint |= 1L << bit;
            }
        }
        return fingerprint;
    }

    /**
     * Groups items, in their order, so that each joins the first earlier group whose first item is within
     * {@link #NEAR} bits of it. Candidates are found through 7 bands of the 64 bits: two fingerprints at most 6 bits
     * apart agree on at least one band (pigeonhole), so no near pair is missed, and the cost stays linear.
     */
    static <T> List<List<T>> group(List<T> items, java.util.function.ToLongFunction<T> fingerprint) {
        List<List<T>> groups = new ArrayList<>();
        List<Long> leaders = new ArrayList<>();
        List<Map<Long, List<Integer>>> bands = new ArrayList<>();
        for (int b = 0; b < BANDS; b++) {
            bands.add(new HashMap<>());
        }
        for (T item : items) {
            long fp = fingerprint.applyAsLong(item);
            int home = -1;
            if (fp != 0) {
                for (int b = 0; b < BANDS; b++) {
                    List<Integer> candidates = bands.get(b).get(band(fp, b));
                    if (candidates == null) {
                        continue;
                    }
                    for (int g : candidates) {
                        if ((home < 0 || g < home) && distance(leaders.get(g), fp) <= NEAR) {
                            home = g;
                            break;
                        }
                    }
                }
            }
            if (home >= 0) {
                groups.get(home).add(item);
                continue;
            }
            int g = groups.size();
            groups.add(new ArrayList<>(List.of(item)));
            leaders.add(fp);
            if (fp != 0) {
                for (int b = 0; b < BANDS; b++) {
                    bands.get(b)
                            .computeIfAbsent(band(fp, b), k -> new ArrayList<>())
                            .add(g);
                }
            }
        }
        return groups;
    }

    private static final int BANDS = NEAR + 1;

    /** Band {@code b} of the fingerprint: 9 bits each, the last one 10 (7 bands cover the 64 bits). */
    private static long band(long fp, int b) {
        int width = b == BANDS - 1 ? 64 - 9 * (BANDS - 1) : 9;
        return ((long) b << 32) | ((fp >>> (9 * b)) & ((1L << width) - 1));
    }

    static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    /** A 64-bit FNV-1a hash, finished with a murmur mix so that close strings spread over all bits. */
    private static long mix(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe1a85ec3L;
        h ^= h >>> 33;
        return h;
    }
}
