package io.cairn.cluster.journal;

/**
 * A complete snapshot: the run from SNAPSHOT_BEGIN at {@code id} to SNAPSHOT_END at
 * {@code endIndex}, holding {@code records} of the caller's records.
 */
public record SnapshotPosition(long id, long endIndex, long records) {
    /** The index of SNAPSHOT_BEGIN (the snapshot's id). */
    public long beginIndex() {
        return id;
    }
}
