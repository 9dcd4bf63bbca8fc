package io.cairn.cluster.replication;

import java.nio.ByteBuffer;

/** The local replica of one origin's journal: records land here at their origin's index. */
public interface RecordSink {

    /** The origin index of the last record held, or {@link RecordSource#NONE}. Any thread. */
    long lastIndex();

    /**
     * Stores one record, {@code payload}'s remaining bytes (valid only during the call). Indexes only grow; when a subscription restarts from the origin's latest
     * snapshot they jump, and the records from SNAPSHOT_BEGIN on replace what came before.
     * Called by one thread at a time; may block briefly (this is the backpressure).
     */
    void append(long index, short type, ByteBuffer payload);
}
