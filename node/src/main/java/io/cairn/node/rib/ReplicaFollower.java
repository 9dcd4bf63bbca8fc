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
    /** Why the origin's paths go before the first record is read, or null. */
    private String dropFirst;
    /**
     * A rebuild is being read: it is read to the end of the replica before the decision runs, so
     * the paths that come back as they were change nothing in the Loc-RIB, the exports or the SDN.
     */
    private boolean catchingUp;

    ReplicaFollower(String origin, ReplicaJournal replica, RibState rib) {
        this.origin = origin;
        this.replica = replica;
        this.rib = rib;
        this.reader = new RecordReader(origin, rib, index -> { });
    }

    /** A follower that replaces what the RIB holds of {@code origin} with its replica's latest snapshot onwards. */
    static ReplicaFollower rebuilding(String origin, ReplicaJournal replica, RibState rib, String why) {
        ReplicaFollower f = new ReplicaFollower(origin, replica, rib);
        f.dropFirst = why;
        return f;
    }

    /**
     * Applies up to {@code limit} records, or all there are while a rebuild is read; returns how
     * many were read. On the RIB thread only.
     */
    int poll(int limit) {
        if (tailer == null) {
            // Made on the thread that reads: Chronicle tailers are bound to their first thread.
            tailer = replica.tailerFromSnapshot();
        }
        if (dropFirst != null) {
            rib.dropOrigin(origin, dropFirst);
            dropFirst = null;
            catchingUp = true;
        }
        int read = tailer.poll(this, limit);
        if (catchingUp) {
            for (int more = read; more > 0; read += more) {
                more = tailer.poll(this, limit);
            }
            catchingUp = false;
        }
        return read;
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
        catchingUp = true;
    }

    @Override
    public void onRecord(long originIndex, short type, DirectBuffer buffer, int offset, int length) {
        reader.read(originIndex, type, buffer, offset, length);
    }
}
