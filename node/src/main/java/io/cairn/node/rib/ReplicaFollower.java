package io.cairn.node.rib;

import io.cairn.cluster.replica.ReplicaJournal;
import io.cairn.cluster.replica.ReplicaRecordHandler;
import io.cairn.cluster.replica.ReplicaTailer;
import org.agrona.DirectBuffer;

/**
 * The RIB thread's reader of one other member's journal, as this node's replica holds it: a
 * {@link RecordReader} from the replica's newest snapshot run. When the replica starts over, the
 * origin's paths go and the run that follows rebuilds them.
 */
final class ReplicaFollower implements ReplicaRecordHandler {

    private final String origin;
    private final ReplicaJournal replica;
    private final RibState rib;
    private final RecordReader reader;
    private ReplicaTailer tailer;

    ReplicaFollower(String origin, ReplicaJournal replica, RibState rib) {
        this.origin = origin;
        this.replica = replica;
        this.rib = rib;
        this.reader = new RecordReader(origin, rib, index -> { });
    }

    /** Applies up to {@code limit} records; returns how many were read. On the RIB thread only. */
    int poll(int limit) {
        if (tailer == null) {
            // Made on the thread that reads: Chronicle tailers are bound to their first thread.
            tailer = replica.tailerFromSnapshot();
        }
        return tailer.poll(this, limit);
    }

    void close() {
        if (tailer != null) {
            tailer.close();
        }
    }

    @Override
    public void onStartOver() {
        rib.dropOrigin(origin, "its replica starts over from its latest snapshot");
        reader.startOver();
    }

    @Override
    public void onRecord(long originIndex, short type, DirectBuffer buffer, int offset, int length) {
        reader.read(originIndex, type, buffer, offset, length);
    }
}
