package io.cairn.cluster.replication;

import java.nio.ByteBuffer;

/** The local replica of one origin's journal: records land here at their origin's index. */
public interface RecordSink {

    /**
     * The origin index of the last record held, or {@link RecordSource#NONE} when nothing usable
     * is held (the subscription then starts from the origin's latest snapshot). Any thread.
     */
    long lastIndex();

    /** The origin's {@link RecordSource#incarnation} that {@link #lastIndex()} belongs to; 0 if unknown. Any thread. */
    long heldIncarnation();

    /**
     * Stores one record, {@code payload}'s remaining bytes (valid only during the call). Indexes
     * only grow within one run of records; see {@link #startOver}. Called by one thread at a time;
     * may block briefly (this is the backpressure).
     */
    void append(long index, short type, ByteBuffer payload);

    /**
     * The origin no longer holds the records after {@link #lastIndex()}: what arrives next is
     * its latest snapshot and everything after it, and replaces everything held so far (indexes
     * start again from there). They belong to the origin's {@code incarnation}. Called before the
     * first such record, by the appending thread.
     */
    void startOver(long incarnation);
}
