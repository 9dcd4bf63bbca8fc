package io.cairn.node.rib;

import org.agrona.collections.LongArrayList;

import java.util.Arrays;

/**
 * Per prefix key, its {@link PrefixRecord}: an open-addressing table with linear probing, as
 * Agrona's {@code Long2ObjectHashMap}, but with the slots placed by {@link PrefixKeys#slotHash}:
 * runs of neighbouring prefixes, as tables arrive and are dumped, fill neighbouring slots, so a
 * duty cycle that works through an UPDATE's prefixes walks the keys, the records' references
 * and (allocated in that order, and copied by the collector in the table's order) the records
 * nearly in sequence instead of missing the caches on every prefix. Owned by the RIB thread.
 */
final class PrefixTable {

    private static final int MIN_CAPACITY = 16;

    private long[] keys;
    /** A slot is free when its record is null. */
    private long[][] records;
    private int size;
    private int resizeAt;

    PrefixTable() {
        allocate(MIN_CAPACITY);
    }

    /** A visitor of the table's entries, in slot order. */
    @FunctionalInterface
    interface Visitor {
        void accept(long key, long[] record);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The number of slots, taken or not. */
    int capacity() {
        return keys.length;
    }

    long[] get(long key) {
        return records[slotOf(key)];
    }

    void put(long key, long[] record) {
        int i = slotOf(key);
        boolean added = records[i] == null;
        keys[i] = key;
        records[i] = record;
        if (added && ++size > resizeAt) {
            resize(keys.length * 2);
        }
    }

    void remove(long key) {
        int i = slotOf(key);
        if (records[i] != null) {
            records[i] = null;
            size--;
            closeGap(i, keys.length - 1);
        }
    }

    /** The slot that holds {@code key}, or else the free slot where it would go. */
    private int slotOf(long key) {
        int mask = keys.length - 1;
        int i = PrefixKeys.slotHash(key) & mask;
        while (records[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    void forEach(Visitor visitor) {
        long[][] rs = records;
        long[] ks = keys;
        for (int i = 0; i < rs.length; i++) {
            if (rs[i] != null) {
                visitor.accept(ks[i], rs[i]);
            }
        }
    }

    /** Adds up to {@code max} keys, in slot order, to {@code out}. */
    void keysTo(LongArrayList out, int max) {
        for (int i = 0, n = 0; i < records.length && n < max; i++) {
            if (records[i] != null) {
                out.addLong(keys[i]);
                n++;
            }
        }
    }

    void clear() {
        if (size > 0) {
            Arrays.fill(records, null);
            size = 0;
        }
    }

    /** Gives back the room a burst took: the fewest slots that hold the entries. */
    void compact() {
        int capacity = MIN_CAPACITY;
        while (capacity / 2 < size) {
            capacity *= 2;
        }
        if (capacity < keys.length) {
            resize(capacity);
        }
    }

    /**
     * Linear probing's deletion without tombstones (Knuth 6.4, algorithm R): entries after the
     * freed slot that could not sit in their home slot move back into the gap.
     */
    private void closeGap(int gap, int mask) {
        for (int i = (gap + 1) & mask; records[i] != null; i = (i + 1) & mask) {
            int home = PrefixKeys.slotHash(keys[i]) & mask;
            // the entry may move to the gap if its home is not in the cyclic range (gap, i]
            if ((i - home & mask) >= (i - gap & mask)) {
                keys[gap] = keys[i];
                records[gap] = records[i];
                records[i] = null;
                gap = i;
            }
        }
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        long[][] oldRecords = records;
        allocate(capacity);
        for (int j = 0; j < oldRecords.length; j++) {
            if (oldRecords[j] != null) {
                int i = slotOf(oldKeys[j]);
                keys[i] = oldKeys[j];
                records[i] = oldRecords[j];
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        records = new long[capacity][];
        resizeAt = capacity / 2;
    }
}
