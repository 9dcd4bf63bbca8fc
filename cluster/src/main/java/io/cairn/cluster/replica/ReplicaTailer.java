package io.cairn.cluster.replica;

import io.cairn.cluster.journal.JournalRecordHandler;
import io.cairn.cluster.journal.JournalTailer;
import io.cairn.cluster.replication.RecordSource;
import org.agrona.DirectBuffer;

/**
 * Reads a replica record by record, without blocking, as {@link JournalTailer} reads a journal:
 * strips each record's {@link ReplicaNote} and reports a generation change as
 * {@link ReplicaRecordHandler#onStartOver} right before the first record of the new generation.
 * One thread at a time.
 */
public final class ReplicaTailer implements AutoCloseable {

    private static final long UNSEEN = -1;

    private final JournalTailer tailer;
    private final Adapter adapter = new Adapter();
    private long generation = UNSEEN;

    ReplicaTailer(JournalTailer tailer) {
        this.tailer = tailer;
    }

    /**
     * Hands up to {@code limit} available records to {@code handler}; returns how many (0 when
     * none is waiting). If the handler throws, that record is handed over again by the next poll
     * ({@code onStartOver} is not repeated).
     *
     * @throws io.cairn.cluster.journal.JournalCorruptException the next record is damaged
     */
    public int poll(ReplicaRecordHandler handler, int limit) {
        adapter.target = handler;
        try {
            return tailer.poll(adapter, limit);
        } finally {
            adapter.target = null;
        }
    }

    @Override
    public void close() {
        tailer.close();
    }

    private final class Adapter implements JournalRecordHandler {
        private ReplicaRecordHandler target;

        @Override
        public void onRecord(long index, short type, DirectBuffer buffer, int offset, int length) {
            ReplicaNote note = ReplicaNote.of(type, buffer, offset, length);
            if (note == null) {
                target.onRecord(RecordSource.NONE, type, buffer, offset, length);
                return;
            }
            if (generation != note.generation()) {
                boolean changed = generation != UNSEEN;
                generation = note.generation();
                if (changed) {
                    target.onStartOver();
                }
            }
            target.onRecord(note.originIndex(), type, buffer, offset, length - ReplicaNote.LENGTH);
        }
    }
}
