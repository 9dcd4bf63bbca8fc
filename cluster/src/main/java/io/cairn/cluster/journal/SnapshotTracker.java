package io.cairn.cluster.journal;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * Follows snapshot markers record by record: which snapshot is open, and the newest complete one.
 * The writer and the open scan feed it the same records, so both agree on what "complete" means.
 */
final class SnapshotTracker {
    static final int END_PAYLOAD_LENGTH = 16;
    static final int ABORTED_PAYLOAD_LENGTH = 8;
    private static final long NONE = -1;
    private long openId = NONE;
    private long openRecords;
    private SnapshotPosition newest;

    void accept(long index, short type, DirectBuffer payload, int offset, int length) {
        switch (type) {
            case RecordTypes.SNAPSHOT_BEGIN:
                openId = index;
                openRecords = 0;
                break;
            case RecordTypes.SNAPSHOT_END:
                if (openId != NONE && length >= END_PAYLOAD_LENGTH
                        && payload.getLong(offset, ByteOrder.LITTLE_ENDIAN) == openId
                        && payload.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN) == openRecords) {
                    newest = new SnapshotPosition(openId, index, openRecords);
                }
                openId = NONE;
                break;
            case RecordTypes.SNAPSHOT_ABORTED:
                openId = NONE;
                break;
            default:
                if (openId != NONE) {
                    openRecords++;
                }
        }
    }

    /** The id of the snapshot begun and not yet ended, or -1. */
    long openId() {
        return openId;
    }

    long openRecords() {
        return openRecords;
    }

    /** The newest complete snapshot, or null. */
    SnapshotPosition newest() {
        return newest;
    }
}
