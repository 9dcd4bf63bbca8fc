package io.cairn.node.rib;

import io.cairn.cluster.journal.RecordTypes;
import io.cairn.node.journal.RecordView;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one journal into the RIB: this node's own ({@link JournalFollower}) or another member's,
 * as this node's replica holds it ({@link ReplicaFollower}). Both start at the newest complete
 * snapshot run, whose records rebuild the journal's sessions from nothing, and both pass over later
 * runs (the RIB already holds their state). Records are read in place ({@link RecordView}) and
 * applied on the RIB thread.
 */
final class RecordReader {

    private static final Logger log = LoggerFactory.getLogger(RecordReader.class);

    /** What the own journal does at a later snapshot run's SNAPSHOT_BEGIN. */
    @FunctionalInterface
    interface LaterSnapshot {
        void begins(long index);
    }

    /** Null for this node's journal, else the member whose journal this is. */
    private final String origin;
    private final RibState rib;
    private final LaterSnapshot laterSnapshot;
    private final RecordView view = new RecordView();
    /** The next snapshot run rebuilds: nothing of this journal has been read yet. */
    private boolean rebuilding = true;
    private boolean skipping;

    RecordReader(String origin, RibState rib, LaterSnapshot laterSnapshot) {
        this.origin = origin;
        this.rib = rib;
        this.laterSnapshot = laterSnapshot;
    }

    /** What was read is void (the caller dropped it): the run that follows rebuilds. */
    void startOver() {
        rebuilding = true;
        skipping = false;
    }

    /**
     * Applies one record at {@code index} (its index in the journal that wrote it). A record that
     * cannot be applied is reported and passed over, never retried forever.
     */
    void read(long index, short type, DirectBuffer buffer, int offset, int length) {
        if (type == RecordTypes.SNAPSHOT_BEGIN) {
            // This node's journal read live: its writer has just begun a snapshot and waits for the
            // RIB's capture, even when that marker is the journal's first record (an idle new
            // node's closing snapshot); only a replayed run can be the one to rebuild from.
            boolean begunNow = origin == null && !rib.replaying();
            skipping = begunNow || !rebuilding;
            rebuilding = false;
            if (skipping) {
                laterSnapshot.begins(index);
            }
            return;
        }
        if (RecordTypes.isMarker(type)) {
            skipping = false; // SNAPSHOT_END or SNAPSHOT_ABORTED
            return;
        }
        rebuilding = false; // a journal without a snapshot replays from its first record
        if (skipping) {
            return;
        }
        try {
            rib.apply(origin, view.wrap(type, buffer, offset, length));
        } catch (RuntimeException e) {
            log.error("{}: record {} ({}) passed over: {}", origin == null ? "journal" : "replica of " + origin,
                    Long.toHexString(index), type, e.toString(), e);
        }
    }
}
