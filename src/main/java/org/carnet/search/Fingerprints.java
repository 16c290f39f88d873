package org.carnet.search;

import java.util.Locale;

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
        String[] words = ClinicalAnalysis.normalise(text)
                .toLowerCase(Locale.ROOT)
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
