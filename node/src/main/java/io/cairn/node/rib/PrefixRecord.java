package io.cairn.node.rib;

import java.util.Arrays;

/**
 * Everything the RIB keeps for one prefix, in one {@code long[]} (no object per path): the
 * candidates, each (peer slot index << 32 | attribute-set id), which together are every peer's
 * Adj-RIB-In for the prefix; and, per peer slot, the attribute-set id last sent to that peer
 * (its Adj-RIB-Out for the prefix), two 32-bit entries per long, 0 for none, else id + 1; and
 * the id of the next-hop set the Loc-RIB last published for the prefix. Keeping that here costs a
 * changed prefix no lookup beyond its record, which at a million prefixes is a cache miss each.
 * Layout: [0] = candidate count | sent words << 16 | published hop set << 32, then the
 * candidates, then the sent words.
 * Operations return the array to keep (a new one when it had to grow or shrink); the header
 * fields are written in place, never to {@link #EMPTY}.
 */
final class PrefixRecord {

    static final long[] EMPTY = {0};

    private static final long SENT_WORDS = 0xFFFFL << 16;
    private static final int PUBLISHED_SHIFT = 32;

    private PrefixRecord() {
    }

    static int candidates(long[] r) {
        return (int) (r[0] & 0xFFFF);
    }

    private static int sentWords(long[] r) {
        return (int) ((r[0] & SENT_WORDS) >>> 16);
    }

    /** The id of the next-hop set the Loc-RIB last published for the prefix ({@link LocRib#NOTHING} at first). */
    static int published(long[] r) {
        return (int) (r[0] >>> PUBLISHED_SHIFT);
    }

    static void publish(long[] r, int hopSet) {
        r[0] = (r[0] & 0xFFFFFFFFL) | (long) hopSet << PUBLISHED_SHIFT;
    }

    static long candidate(long[] r, int i) {
        return r[1 + i];
    }

    static int slotOf(long candidate) {
        return (int) (candidate >>> 32);
    }

    static int setOf(long candidate) {
        return (int) candidate;
    }

    /** Index of the candidate from {@code slot}, or -1. */
    static int indexOf(long[] r, int slot) {
        for (int i = 0, n = candidates(r); i < n; i++) {
            if (slotOf(r[1 + i]) == slot) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Adds or replaces the candidate of the entry's slot; a new record gets room for
     * {@code sentSlots} sent entries, so that exporting it to the sessions up now does not grow it.
     */
    static long[] withCandidate(long[] r, long entry, int sentSlots) {
        int at = indexOf(r, slotOf(entry));
        if (at >= 0) {
            r[1 + at] = entry;
            return r;
        }
        int n = candidates(r);
        int words = r == EMPTY ? (sentSlots + 1) >>> 1 : sentWords(r);
        long[] grown = new long[2 + n + words];
        grown[0] = (r[0] & ~SENT_WORDS) + 1 | (long) words << 16;
        System.arraycopy(r, 1, grown, 1, n);
        grown[1 + n] = entry;
        System.arraycopy(r, 1 + n, grown, 2 + n, r.length - 1 - n);
        return grown;
    }

    static long[] withoutCandidate(long[] r, int at) {
        long[] shrunk = new long[r.length - 1];
        shrunk[0] = r[0] - 1;
        System.arraycopy(r, 1, shrunk, 1, at);
        System.arraycopy(r, 2 + at, shrunk, 1 + at, r.length - 2 - at);
        return shrunk;
    }

    /** The attribute-set id sent to {@code slot}, or {@link PeerSlot#NONE}. */
    static long sent(long[] r, int slot) {
        int word = slot >>> 1;
        if (word >= sentWords(r)) {
            return PeerSlot.NONE;
        }
        long w = r[1 + candidates(r) + word];
        long v = (slot & 1) == 0 ? w & 0xFFFFFFFFL : w >>> 32;
        return v - 1;
    }

    /** Records {@code setId} (or NONE) as sent to {@code slot}. */
    static long[] withSent(long[] r, int slot, long setId) {
        int word = slot >>> 1;
        int n = candidates(r);
        if (word >= sentWords(r)) {
            if (setId == PeerSlot.NONE) {
                return r;
            }
            long[] grown = Arrays.copyOf(r, 1 + n + word + 1);
            grown[0] = (r[0] & ~SENT_WORDS) | (long) (word + 1) << 16;
            r = grown;
        }
        int at = 1 + n + word;
        long v = setId + 1;
        r[at] = (slot & 1) == 0 ? (r[at] & 0xFFFFFFFF00000000L) | v : (r[at] & 0xFFFFFFFFL) | v << 32;
        return r;
    }

    /**
     * True when no peer has a path for the prefix, none was sent it, and the Loc-RIB does not
     * publish it: the record can go.
     */
    static boolean isEmpty(long[] r) {
        if ((r[0] & ~SENT_WORDS) != 0) {
            return false;
        }
        for (int i = 1; i < r.length; i++) {
            if (r[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
