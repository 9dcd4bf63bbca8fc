package io.cairn.cluster.replication;

/**
 * The local journal as the replication server reads it. Indexes grow with every record but
 * need not be consecutive (Chronicle Queue's are not across cycles), which is why a subscriber
 * asks for what comes after the last index it holds rather than for "last + 1".
 */
public interface RecordSource {

    /** The index before the first record: "nothing held yet". */
    long NONE = -1;

    /**
     * A cursor on the records after {@code index} of this {@link #incarnation} ({@link #NONE}: from
     * the newest complete snapshot, or the first record if there is none, as
     * {@link #readFromLatestSnapshot}), or null
     * when the record following {@code index} is no longer held (its cycle was deleted once a newer
     * snapshot existed); the subscriber must then start over from {@link #readFromLatestSnapshot}.
     */
    Cursor readAfter(long index);

    /** A cursor on the newest complete snapshot and everything after it (all records if none). */
    Cursor readFromLatestSnapshot();

    /** The index of the newest record, or {@link #NONE}; callable from any thread. */
    long lastIndex();

    /**
     * The id of this history of the records (never 0): a source whose indices come to name other
     * records (a repaired journal reuses the dropped ones) has a new one. Any thread.
     */
    long incarnation();

    /** Reads records in index order. Used by one thread at a time; never blocks. */
    interface Cursor extends AutoCloseable {

        /** Hands the next record to {@code handler} and returns true, or returns false if none yet. */
        boolean poll(RecordHandler handler);

        /**
         * How many records this cursor has still to hand over up to {@code lastIndex} (the source's
         * {@link #lastIndex()}), or -1 if they cannot be counted now.
         */
        long remaining(long lastIndex);

        @Override
        void close();
    }
}
