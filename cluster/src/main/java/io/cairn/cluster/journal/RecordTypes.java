package io.cairn.cluster.journal;

/**
 * Record types. Callers use 0..32767; negative types are the journal's own markers.
 *
 * <p>A snapshot is the run SNAPSHOT_BEGIN, the caller's snapshot records, SNAPSHOT_END. Its id is
 * the index of its SNAPSHOT_BEGIN. The END payload is the id (i64) and the number of records
 * between BEGIN and END (i64); a run whose END is missing or does not match is incomplete and never
 * used as a starting point. When the journal is reopened after a crash in the middle of a snapshot,
 * it closes the run with SNAPSHOT_ABORTED (payload: the id), so a reader skipping later snapshot
 * runs always finds where each one ends.
 *
 * <p>A marker may carry a note from the writer after its own fields (BEGIN has none, END 16
 * bytes, ABORTED 8): a replica keeps its origin's position there. Readers of the fields ignore it.
 *
 * <p>Reader rule (replay): start at the newest complete snapshot, apply its run, then apply the
 * caller's records that follow and skip every later BEGIN..END or BEGIN..ABORTED run (the state
 * already holds what it says).
 */
public final class RecordTypes {
    public static final short SNAPSHOT_BEGIN = -1;
    public static final short SNAPSHOT_END = -2;
    public static final short SNAPSHOT_ABORTED = -3;

    private RecordTypes() {}

    public static boolean isMarker(short type) {
        return type < 0;
    }
}
