package io.cairn.cluster.replica;

import io.cairn.cluster.journal.RecordTypes;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The 16 bytes a replica adds at the end of every record it writes, after the origin's payload (or
 * after a snapshot marker's own fields): where the record came from.
 *
 * <pre>
 *   i64  the record's index in the origin's journal
 *   i64  the replica's generation: 0 for a new replica, one more at each start-over
 * </pre>
 *
 * Kept inside the record rather than in a side file, so the position is written in the same
 * append as the record, covered by the same checksum, and cut by the same tail repair: the last
 * intact record always says exactly where to resume, with nothing to keep in step.
 */
record ReplicaNote(long originIndex, long generation) {

    static final int LENGTH = 16;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** The fields of an END marker (snapshot id, record count) and of ABORTED (snapshot id). */
    private static final int END_FIELDS = 16;
    private static final int ABORTED_FIELDS = 8;

    /** Writes a note at {@code into[at, at+16)}; no allocation, for the per-record path. */
    static void write(MutableDirectBuffer into, int at, long originIndex, long generation) {
        into.putLong(at, originIndex, ORDER);
        into.putLong(at + 8, generation, ORDER);
    }

    byte[] bytes() {
        byte[] b = new byte[LENGTH];
        write(new UnsafeBuffer(b), 0, originIndex, generation);
        return b;
    }

    /**
     * The note of a record read from a replica, or null for the one record a replica holds
     * without one: the ABORTED the journal itself writes on open to close a snapshot run a crash
     * (or a repaired tail) left open.
     */
    static ReplicaNote of(short type, DirectBuffer payload, int offset, int length) {
        int fields = fieldsOf(type);
        boolean noted = RecordTypes.isMarker(type) ? length == fields + LENGTH : length >= LENGTH;
        if (!noted) {
            if (type == RecordTypes.SNAPSHOT_ABORTED && length == ABORTED_FIELDS) {
                return null;
            }
            throw new IllegalStateException("record of type " + type + " and " + length
                    + " bytes carries no replica note: not a replica journal");
        }
        int at = offset + length - LENGTH;
        return new ReplicaNote(payload.getLong(at, ORDER), payload.getLong(at + 8, ORDER));
    }

    /** The bytes a marker of {@code type} holds before the note (0 for the origin's own records). */
    private static int fieldsOf(short type) {
        switch (type) {
            case RecordTypes.SNAPSHOT_END:
                return END_FIELDS;
            case RecordTypes.SNAPSHOT_ABORTED:
                return ABORTED_FIELDS;
            default:
                return 0;
        }
    }
}
