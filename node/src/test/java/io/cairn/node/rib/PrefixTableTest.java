package io.cairn.node.rib;

import io.cairn.node.bgp.wire.Prefix;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RIB's prefix table and set: a map and a set like any other, with neighbouring prefixes placed together. */
class PrefixTableTest {

    private static long ipv4(String prefix) {
        return Prefix.parse(prefix).ipv4Key();
    }

    @Test
    void neighbouringPrefixesOfOneLengthTakeNeighbouringSlots() {
        int first = PrefixKeys.slotHash(ipv4("11.0.16.0/24"));
        for (int i = 1; i < 16; i++) {
            assertEquals(first + i, PrefixKeys.slotHash(ipv4("11.0." + (16 + i) + ".0/24")), "the /24s of one /20");
        }
        int firstOf25 = PrefixKeys.slotHash(ipv4("11.0.16.0/25"));
        assertEquals(firstOf25 + 1, PrefixKeys.slotHash(ipv4("11.0.16.128/25")), "neighbours at any length");
        assertTrue(first != firstOf25, "a /25 is not placed with the /24 it is inside");
        PrefixKeys keys = new PrefixKeys();
        long a = keys.key(Prefix.parse("2001:db8::/48"));
        long b = keys.key(Prefix.parse("2001:db8:1::/48"));
        assertEquals(PrefixKeys.slotHash(a) + 1, PrefixKeys.slotHash(b), "IPv6 prefixes in the order first seen");
    }

    /** Random puts, replacements and removals over a few dense blocks and scattered keys, checked against a HashMap. */
    @Test
    void behavesAsAMapUnderRandomChanges() {
        Random random = new Random(4271);
        List<Long> universe = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            universe.add(PrefixKeys.ipv4(0x0B000000L + ((long) i << 8), 24)); // 11.0.0.0/24 onwards: dense runs
        }
        for (int i = 0; i < 500; i++) {
            universe.add(PrefixKeys.ipv4(random.nextInt() & 0xFFFFFF00L, 8 + random.nextInt(25))); // scattered
        }
        universe.add(PrefixKeys.ipv4(0, 0)); // the default route
        PrefixTable table = new PrefixTable();
        PrefixSet set = new PrefixSet();
        Map<Long, long[]> expected = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            long key = universe.get(random.nextInt(universe.size()));
            if (random.nextInt(3) == 0) {
                table.remove(key);
                expected.remove(key);
                set.remove(key);
            } else {
                long[] r = {step};
                table.put(key, r);
                expected.put(key, r);
                set.add(key);
            }
            if (step % 10_000 == 0) {
                assertSameContents(expected, table);
            }
        }
        assertSameContents(expected, table);
        for (long key : universe) {
            assertSame(expected.get(key), table.get(key));
            assertEquals(expected.containsKey(key), set.contains(key), "the set took the same adds and removes");
        }
        for (long key : universe) {
            table.remove(key);
        }
        assertEquals(0, table.size());
        assertNull(table.get(universe.get(0)));
        Set<Long> drained = new HashSet<>();
        LongArrayList chunk = new LongArrayList();
        for (int chunks = 0; !set.isEmpty(); chunks++) {
            chunk.clear();
            set.drainTo(chunk, 100);
            assertTrue(chunk.size() == 100 || set.isEmpty(), "full chunks until the last");
            chunk.forEachLong(k -> assertTrue(drained.add(k), "drained once: " + k));
            assertTrue(chunks < universe.size(), "drains to empty");
        }
        assertEquals(expected.keySet(), drained, "every key drained, none left");
    }

    /** Removals where the probe sequence wraps from the last slot to the first (linear probing's hard case). */
    @Test
    void removalCloseGapsAcrossTheEndOfTheTable() {
        PrefixTable table = new PrefixTable();
        List<Long> keys = new ArrayList<>();
        // 8 keys (the most a 16-slot table holds) whose slots all fall in 12..15: they wrap to 0..3
        for (long k = 0; keys.size() < 8; k++) {
            long key = PrefixKeys.ipv4(k << 8, 24);
            if ((PrefixKeys.slotHash(key) & 15) >= 12) {
                keys.add(key);
            }
        }
        for (long key : keys) {
            table.put(key, new long[] {key});
        }
        for (int i = 0; i < keys.size(); i++) {
            table.remove(keys.get(i));
            for (int j = i + 1; j < keys.size(); j++) {
                assertEquals(keys.get(j), table.get(keys.get(j))[0], "still found after removing " + (i + 1));
            }
        }
        assertEquals(0, table.size());
    }

    @Test
    void aSetTakesEachKeyOnceAndShrinksWhenAsked() {
        PrefixSet set = new PrefixSet();
        for (int round = 0; round < 2; round++) {
            for (long i = 0; i < 100_000; i++) {
                set.add(PrefixKeys.ipv4(i << 8, 24));
            }
        }
        assertEquals(100_000, set.size());
        long[] sum = {0};
        set.forEach(k -> sum[0] += k >>> 16); // the /24's number
        assertEquals(100_000L * 99_999 / 2, sum[0]);
        int big = set.capacity();
        set.clear();
        assertTrue(set.isEmpty());
        set.add(ipv4("10.0.0.0/8"));
        set.compact();
        assertTrue(set.capacity() < big && set.capacity() >= 2, "capacity " + set.capacity());
        List<Long> left = new ArrayList<>();
        set.forEach(left::add);
        assertEquals(List.of(ipv4("10.0.0.0/8")), left);
    }

    private static void assertSameContents(Map<Long, long[]> expected, PrefixTable table) {
        assertEquals(expected.size(), table.size());
        Map<Long, long[]> seen = new HashMap<>();
        table.forEach((key, r) -> assertNull(seen.put(key, r), "visited twice: " + key));
        assertEquals(expected, seen);
    }
}
