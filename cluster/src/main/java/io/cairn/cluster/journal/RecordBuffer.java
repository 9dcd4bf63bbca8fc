package io.cairn.cluster.journal;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.concurrent.UnsafeBuffer;

/** A reusable copy of one record read from an excerpt, checked before anyone sees it. */
final class RecordBuffer {
    private byte[] bytes = new byte[4096];
    private final UnsafeBuffer view = new UnsafeBuffer(bytes);
    private int length;

    /** Copies the excerpt's remaining bytes. */
    void load(Bytes<?> excerpt) {
        long remaining = excerpt.readRemaining();
        if (remaining > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("excerpt of " + remaining + " bytes");
        }
        length = (int) remaining;
        if (length > bytes.length) {
            bytes = new byte[Math.max(length, 2 * bytes.length)];
            view.wrap(bytes);
        }
        excerpt.read(bytes, 0, length);
    }

    RecordFormat.Verdict verify(long index) {
        return RecordFormat.verify(bytes, length, index);
    }

    short type() {
        return RecordFormat.type(bytes);
    }

    int payloadLength() {
        return length - RecordFormat.HEADER_LENGTH;
    }

    /** The payload lives at {@link RecordFormat#HEADER_LENGTH} in this buffer. */
    UnsafeBuffer view() {
        return view;
    }

    void deliver(long index, JournalRecordHandler handler) {
        handler.onRecord(index, type(), view, RecordFormat.HEADER_LENGTH, payloadLength());
    }
}
