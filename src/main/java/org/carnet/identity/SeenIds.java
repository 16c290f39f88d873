package org.carnet.identity;

import java.util.UUID;

/**
 * The directory ids an import has met, kept as 64-bit digests in an open-addressing table: 16 bytes an id
 * (load ≤ 0.5), so a million professionals and their activities cost tens of megabytes, not the hundreds a set of
 * strings would. Ids are {@code prefix-UUID}; two different ids share a digest with probability ~n²/2⁶⁵.
 */
final class SeenIds {

    private static final long EMPTY = 0;
    private long[] slots = new long[1 << 16];
    private int size;

    void add(String id) {
        long digest = digest(id);
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        if (insert(slots, digest)) {
            size++;
        }
    }

    boolean contains(String id) {
        long digest = digest(id);
        int mask = slots.length - 1;
        for (int i = index(digest, mask); ; i = (i + 1) & mask) {
            if (slots[i] == EMPTY) {
                return false;
            }
            if (slots[i] == digest) {
                return true;
            }
        }
    }

    private static boolean insert(long[] table, long digest) {
        int mask = table.length - 1;
        for (int i = index(digest, mask); ; i = (i + 1) & mask) {
            if (table[i] == EMPTY) {
                table[i] = digest;
                return true;
            }
            if (table[i] == digest) {
                return false;
            }
        }
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (long digest : slots) {
            if (digest != EMPTY) {
                insert(bigger, digest);
            }
        }
        slots = bigger;
    }

    private static int index(long digest, int mask) {
        return (int) (digest ^ (digest >>> 32)) & mask;
    }

    private static long digest(String id) {
        int dash = id.indexOf('-');
        long digest;
        try {
            UUID uuid = UUID.fromString(id.substring(dash + 1));
            digest = uuid.getMostSignificantBits() * 0x9E3779B97F4A7C15L ^ uuid.getLeastSignificantBits();
        } catch (IllegalArgumentException notAUuid) {
            digest = id.hashCode() * 0x9E3779B97F4A7C15L;
        }
        digest = digest * 31 + id.charAt(0);
        return digest == EMPTY ? 1 : digest;
    }
}
