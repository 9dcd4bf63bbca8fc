package io.cairn.cluster.replication;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.nio.ByteBuffer;

/**
 * A journal in memory, both the origin's source and a replica's sink, with consecutive indexes
 * from 1. It can forget old records (as deleted cycles do) and mark a snapshot's start.
 */
final class MemoryJournal implements RecordSource, RecordSink {

    record Rec(long index, short type, byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Rec r && r.index == index && r.type == type && Arrays.equals(r.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(index) * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Rec[" + index + ", type " + type + ", " + bytes.length + " bytes]";
        }
    }

    /** As a source: one history, never repaired. */
    static final long INCARNATION = 1;

    private final List<Rec> records = new ArrayList<>();
    private long heldIncarnation;
    private int forgotten;
    private long snapshotStart = NONE;

    /** Appends at the next index, as the origin's own journal does. */
    synchronized long append(short type, byte[] bytes) {
        long index = lastIndex() == NONE ? 1 : lastIndex() + 1;
        records.add(new Rec(index, type, bytes.clone()));
        return index;
    }

    @Override
    public synchronized void append(long index, short type, ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        records.add(new Rec(index, type, bytes));
    }

    /** Forgets everything: what arrives next replaces it. */
    @Override
    public synchronized void startOver(long incarnation) {
        records.clear();
        forgotten = 0;
        heldIncarnation = incarnation;
    }

    @Override
    public synchronized long heldIncarnation() {
        return heldIncarnation;
    }

    @Override
    public long incarnation() {
        return INCARNATION;
    }

    @Override
    public synchronized long lastIndex() {
        return records.isEmpty() ? NONE : records.get(records.size() - 1).index();
    }

    /** A snapshot begins at {@code index}, and everything before it is deleted. */
    synchronized void snapshotAt(long index) {
        snapshotStart = index;
        while (forgotten < records.size() && records.get(forgotten).index() < index) {
            forgotten++;
        }
    }

    synchronized List<Rec> records() {
        return List.copyOf(records.subList(forgotten, records.size()));
    }

    private synchronized Rec at(int position) {
        return position < records.size() ? records.get(position) : null;
    }

    /** The position of the first record with an index above {@code index}. */
    private int positionAfter(long index) {
        int p = forgotten;
        while (p < records.size() && records.get(p).index() <= index) {
            p++;
        }
        return p;
    }

    @Override
    public synchronized Cursor readAfter(long index) {
        long firstKept = forgotten < records.size() ? records.get(forgotten).index() : lastIndex() + 1;
        long next = index == NONE ? 1 : index + 1;
        return next < firstKept ? null : new MemoryCursor(positionAfter(index));
    }

    @Override
    public synchronized Cursor readFromLatestSnapshot() {
        return new MemoryCursor(snapshotStart == NONE ? forgotten : positionAfter(snapshotStart - 1));
    }

    private final class MemoryCursor implements Cursor {
        private int position;

        MemoryCursor(int position) {
            this.position = position;
        }

        @Override
        public boolean poll(RecordHandler handler) {
            Rec r = at(position);
            if (r == null) {
                return false;
            }
            position++;
            handler.onRecord(r.index(), r.type(), ByteBuffer.wrap(r.bytes()).asReadOnlyBuffer());
            return true;
        }

        @Override
        public long remaining(long lastIndex) {
            synchronized (MemoryJournal.this) {
                return Math.max(0, positionAfter(lastIndex) - position);
            }
        }

        @Override
        public void close() {
        }
    }
}
