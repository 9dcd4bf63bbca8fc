package io.cairn.node.rib;

import java.util.Arrays;

/**
 * Everything the RIB keeps for one prefix, in one {@code long[]} (no object per path): the
 * candidates, each (peer slot index << 32 | attribute-set id), which together are every peer's
 * Adj-RIB-In for the prefix; and, per peer slot, the attribute-set id last sent to that peer
 * (its Adj-RIB-Out for the prefix), two 32-bit entries per long, 0 for none, else id + 1.
 * Layout: [0] = candidate count | sent words << 16, then the candidates, then the sent words.
 * Operations return the array to keep (a new one when it had to grow or shrink).
 */
final class PrefixRecord {

    static final long[] EMPTY = {0};

    private PrefixRecord() {
    }

    static int candidates(long[] r) {
        return (int) (r[0] & 0xFFFF);
    }

    private static int sentWords(long[] r) {
        return (int) (r[0] >>> 16);
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

    /** Adds or replaces the candidate of the entry's slot. */
    static long[] withCandidate(long[] r, long entry) {
        int at = indexOf(r, slotOf(entry));
        if (at >= 0) {
            r[1 + at] = entry;
            return r;
        }
        int n = candidates(r);
        long[] grown = new long[r.length + 1];
        grown[0] = r[0] + 1;
        System.arraycopy(r, 1, grown, 1, n);
        grown[1 + n] = entry;
        System.arraycopy(r, 1 + n, grown, 2 + n, sentWords(r));
        return grown;
    }

    static long[] withoutCandidate(long[] r, int at) {
        int n = candidates(r);
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
            grown[0] = n | (long) (word + 1) << 16;
            r = grown;
        }
        int at = 1 + n + word;
        long v = setId + 1;
        r[at] = (slot & 1) == 0 ? (r[at] & 0xFFFFFFFF00000000L) | v : (r[at] & 0xFFFFFFFFL) | v << 32;
        return r;
    }

    /** True when no peer has a path for the prefix and none was sent it: the record can go. */
    static boolean isEmpty(long[] r) {
        if (candidates(r) > 0) {
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
