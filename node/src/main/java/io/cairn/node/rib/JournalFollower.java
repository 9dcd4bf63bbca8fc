package io.cairn.node.rib;

import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalRecordHandler;
import io.cairn.cluster.journal.JournalTailer;
import io.cairn.node.journal.SessionJournal;
import org.agrona.DirectBuffer;

/**
 * The RIB thread's reader of this node's journal (DESIGN.md, data flow: "tail -> RIB thread"): a
 * {@link RecordReader} from the newest complete snapshot. A SNAPSHOT_BEGIN read live makes the RIB
 * capture its state, which is exactly the journal up to that marker, for the writer.
 */
final class JournalFollower implements JournalRecordHandler {

    private final Journal journal;
    private final RibState rib;
    private final SessionJournal writer;
    private final RecordReader reader;
    private JournalTailer tailer;
    private long records;

    JournalFollower(Journal journal, RibState rib, SessionJournal writer) {
        this.journal = journal;
        this.rib = rib;
        this.writer = writer;
        this.reader = new RecordReader(null, rib, this::laterSnapshot);
    }

    /** Applies up to {@code limit} records; returns how many were read. On the RIB thread only. */
    int poll(int limit) {
        if (tailer == null) {
            // Made here, on the thread that reads: Chronicle tailers are bound to their first thread.
            tailer = journal.tailerFromSnapshot();
        }
        return tailer.poll(this, limit);
    }

    void close() {
        if (tailer != null) {
            tailer.close();
        }
    }

    /** Records read so far, markers included. */
    long records() {
        return records;
    }

    @Override
    public void onRecord(long index, short type, DirectBuffer buffer, int offset, int length) {
        records++;
        reader.read(index, type, buffer, offset, length);
    }

    private void laterSnapshot(long index) {
        if (!rib.replaying()) {
            writer.snapshotCaptured(index, rib.capture());
        }
    }
}
