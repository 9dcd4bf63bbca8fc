package io.cairn.cluster.replica;

import org.agrona.DirectBuffer;

/** Receives the records of a replica from {@link ReplicaTailer#poll}. */
public interface ReplicaRecordHandler {

    /**
     * Everything read from this replica so far is void: the replica started over (a new
     * generation) and the records that follow rebuild the origin's state from its latest snapshot
     * (or from its first record when it has none). Called just before the first of them, which is
     * then applied as a snapshot, not skipped as a later one would be.
     */
    void onStartOver();

    /**
     * One record as the origin wrote it: its index in the origin's journal, its type (the caller's,
     * or a {@link io.cairn.cluster.journal.RecordTypes} marker) and payload {@code buffer[offset,
     * offset+length)}, valid only during the call. Markers' payloads are the replica's own fields.
     * The one record without an origin index (the journal's ABORTED closing a run a crash left
     * open) comes with {@link io.cairn.cluster.replication.RecordSource#NONE}.
     */
    void onRecord(long originIndex, short type, DirectBuffer buffer, int offset, int length);
}
