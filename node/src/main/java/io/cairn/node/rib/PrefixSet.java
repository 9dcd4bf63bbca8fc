package io.cairn.node.rib;

import org.agrona.collections.LongArrayList;

import java.util.function.LongConsumer;

/**
 * A set of prefix keys placed as {@link PrefixTable} places them (a table whose every record is
 * one shared marker), so that walking it visits neighbouring prefixes together: the keys a duty
 * cycle must decide or export, or a restarting peer's stale paths, looked up in the RIB's table
 * in the order this set hands them out. Owned by the RIB thread.
 */
final class PrefixSet {

    private static final long[] PRESENT = new long[0];

    private final PrefixTable table = new PrefixTable();

    int size() {
        return table.size();
    }

    boolean isEmpty() {
        return table.isEmpty();
    }

    /** The number of slots, taken or not. */
    int capacity() {
        return table.capacity();
    }

    void add(long key) {
        table.put(key, PRESENT);
    }

    boolean contains(long key) {
        return table.get(key) != null;
    }

    void remove(long key) {
        table.remove(key);
    }

    /** Hands out every key, in slot order. */
    void forEach(LongConsumer action) {
        table.forEach((key, present) -> action.accept(key));
    }

    /** Moves up to {@code max} keys, in slot order, from this set to {@code out}. */
    void drainTo(LongArrayList out, int max) {
        int from = out.size();
        table.keysTo(out, max);
        for (int i = from; i < out.size(); i++) {
            table.remove(out.getLong(i));
        }
    }

    void clear() {
        table.clear();
    }

    /** Gives back the room a burst took. */
    void compact() {
        table.compact();
    }
}
