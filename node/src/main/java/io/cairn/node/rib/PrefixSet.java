package io.cairn.node.rib;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * A set of prefix keys placed as {@link PrefixTable} places them ({@link PrefixKeys#slotHash}), so
 * that walking it visits the table's neighbouring slots together: the keys a duty cycle must
 * decide, looked up in the table in the order this set hands them out. Owned by the RIB thread.
 */
final class PrefixSet {

    private static final int MIN_CAPACITY = 16;
    /** No key is negative (see {@link PrefixKeys}). */
    private static final long FREE = -1;

    private long[] keys;
    private int size;

    PrefixSet() {
        keys = free(MIN_CAPACITY);
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

    void add(long key) {
        int mask = keys.length - 1;
        int i = PrefixKeys.slotHash(key) & mask;
        for (long k = keys[i]; k != FREE; k = keys[i]) {
            if (k == key) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        if (++size > keys.length / 2) {
            rehash(keys.length * 2);
        }
    }

    /** Hands out every key, in slot order. */
    void forEach(LongConsumer action) {
        long[] ks = keys;
        for (long k : ks) {
            if (k != FREE) {
                action.accept(k);
            }
        }
    }

    void clear() {
        if (size > 0) {
            Arrays.fill(keys, FREE);
            size = 0;
        }
    }

    /** Gives back the room a burst took: the fewest slots that hold the keys. */
    void compact() {
        int capacity = MIN_CAPACITY;
        while (capacity / 2 < size) {
            capacity *= 2;
        }
        if (capacity < keys.length) {
            rehash(capacity);
        }
    }

    private void rehash(int capacity) {
        long[] old = keys;
        keys = free(capacity);
        int mask = capacity - 1;
        for (long k : old) {
            if (k != FREE) {
                int i = PrefixKeys.slotHash(k) & mask;
                while (keys[i] != FREE) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
            }
        }
    }

    private static long[] free(int capacity) {
        long[] ks = new long[capacity];
        Arrays.fill(ks, FREE);
        return ks;
    }
}
