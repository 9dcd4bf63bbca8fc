package io.cairn.cluster.replication;

import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalRecordHandler;
import io.cairn.cluster.journal.JournalTailer;
import java.nio.ByteBuffer;
import org.agrona.DirectBuffer;

/**
 * The local {@link Journal} as the replication server reads it. Snapshot markers travel like any
 * other record, so a replica sees the same BEGIN..END runs the origin wrote.
 */
public final class JournalSource implements RecordSource {

    private final Journal journal;

    public JournalSource(Journal journal) {
        this.journal = journal;
    }

    @Override
    public Cursor readAfter(long index) {
        if (index == NONE) {
            // A subscriber holding nothing needs the state, not the history before it.
            return readFromLatestSnapshot();
        }
        JournalTailer tailer;
        try {
            tailer = journal.tailerAt(index);
        } catch (IllegalArgumentException deletedOrNeverWritten) {
            // Its cycle went with an older snapshot (or the journal was repaired below it): the
            // subscriber starts over from the newest snapshot, as RecordSource promises.
            return null;
        }
        JournalCursor cursor = new JournalCursor(tailer);
        cursor.skipHeld();
        return cursor;
    }

    @Override
    public Cursor readFromLatestSnapshot() {
        return new JournalCursor(journal.tailerFromSnapshot());
    }

    @Override
    public long lastIndex() {
        long last = journal.lastIndex();
        return last < 0 ? NONE : last;
    }

    @Override
    public long incarnation() {
        return journal.incarnation();
    }

    /** Turns the journal's Agrona view of a record into the ByteBuffer replication frames carry. */
    private static final class JournalCursor implements Cursor, JournalRecordHandler {
        private final JournalTailer tailer;
        private RecordHandler target;
        private byte[] copy = new byte[0];

        JournalCursor(JournalTailer tailer) {
            this.tailer = tailer;
        }

        /** Consumes the record at {@code index} itself, which the subscriber already holds. */
        void skipHeld() {
            tailer.poll((i, type, buffer, offset, length) -> { }, 1);
        }

        @Override
        public boolean poll(RecordHandler handler) {
            target = handler;
            try {
                return tailer.poll(this, 1) == 1;
            } finally {
                target = null;
            }
        }

        @Override
        public long remaining(long lastIndex) {
            return tailer.remaining(lastIndex);
        }

        @Override
        public void onRecord(long index, short type, DirectBuffer buffer, int offset, int length) {
            target.onRecord(index, type, view(buffer, offset, length));
        }

        private ByteBuffer view(DirectBuffer buffer, int offset, int length) {
            byte[] array = buffer.byteArray();
            if (array != null) {
                return ByteBuffer.wrap(array, (int) buffer.wrapAdjustment() + offset, length).asReadOnlyBuffer();
            }
            if (copy.length < length) {
                copy = new byte[length];
            }
            buffer.getBytes(offset, copy, 0, length);
            return ByteBuffer.wrap(copy, 0, length).asReadOnlyBuffer();
        }

        @Override
        public void close() {
            tailer.close();
        }
    }
}
