package io.cairn.node.rib;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One prefix's candidates (every Adj-RIB-In) and per-peer sent ids (every Adj-RIB-Out) in one array. */
class PrefixRecordTest {

    private static long entry(int slot, int set) {
        return (long) slot << 32 | set;
    }

    @Test
    void candidatesAndSentIdsKeepEachOtherIntact() {
        long[] r = PrefixRecord.withCandidate(PrefixRecord.EMPTY, entry(1, 7), 0);
        r = PrefixRecord.withSent(r, 2, 7);
        r = PrefixRecord.withSent(r, 3, 0);
        r = PrefixRecord.withCandidate(r, entry(4, 9), 0);
        assertEquals(2, PrefixRecord.candidates(r));
        assertEquals(7, PrefixRecord.sent(r, 2), "sent ids survive a candidate added in front of them");
        assertEquals(0, PrefixRecord.sent(r, 3), "set id 0 is a real id, not 'none'");
        assertEquals(PeerSlot.NONE, PrefixRecord.sent(r, 1));
        assertEquals(PeerSlot.NONE, PrefixRecord.sent(r, 40), "beyond the stored slots: none");
        r = PrefixRecord.withCandidate(r, entry(1, 8), 0);
        assertEquals(entry(1, 8), PrefixRecord.candidate(r, PrefixRecord.indexOf(r, 1)), "replaced, not added");
        r = PrefixRecord.withoutCandidate(r, PrefixRecord.indexOf(r, 1));
        assertEquals(1, PrefixRecord.candidates(r));
        assertEquals(entry(4, 9), PrefixRecord.candidate(r, 0));
        assertEquals(7, PrefixRecord.sent(r, 2));
        r = PrefixRecord.withoutCandidate(r, 0);
        assertFalse(PrefixRecord.isEmpty(r), "still sent to peers: the record stays until withdrawn from them");
        r = PrefixRecord.withSent(PrefixRecord.withSent(r, 2, PeerSlot.NONE), 3, PeerSlot.NONE);
        assertTrue(PrefixRecord.isEmpty(r));
        assertEquals(1, PrefixRecord.EMPTY.length, "the shared empty record is never written");
    }

    @Test
    void thePublishedSetSurvivesEveryChangeOfTheArray() {
        long[] r = PrefixRecord.withCandidate(PrefixRecord.EMPTY, entry(1, 7), 6);
        assertEquals(1 + 1 + 3, r.length, "room for the sent entries of slots 0 to 5");
        PrefixRecord.publish(r, 123_456);
        r = PrefixRecord.withSent(r, 9, 7);
        r = PrefixRecord.withCandidate(r, entry(2, 8), 6);
        r = PrefixRecord.withoutCandidate(r, 0);
        assertEquals(123_456, PrefixRecord.published(r));
        assertEquals(7, PrefixRecord.sent(r, 9));
        assertEquals(entry(2, 8), PrefixRecord.candidate(r, 0));
        r = PrefixRecord.withSent(PrefixRecord.withoutCandidate(r, 0), 9, PeerSlot.NONE);
        assertEquals(123_456, PrefixRecord.published(r));
        assertFalse(PrefixRecord.isEmpty(r), "still published: the Loc-RIB must withdraw it first");
        PrefixRecord.publish(r, LocRib.NOTHING);
        assertTrue(PrefixRecord.isEmpty(r));
    }
}
