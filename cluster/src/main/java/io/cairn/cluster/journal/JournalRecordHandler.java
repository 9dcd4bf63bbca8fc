package io.cairn.cluster.journal;

import org.agrona.DirectBuffer;

/** Receives records from {@link JournalTailer#poll}. */
@FunctionalInterface
public interface JournalRecordHandler {
    /**
     * One record. {@code buffer[offset, offset+length)} is the payload, valid only during the call.
     * {@code type} is the caller's type, or one of the {@link RecordTypes} snapshot markers.
     */
    void onRecord(long index, short type, DirectBuffer buffer, int offset, int length);
}
