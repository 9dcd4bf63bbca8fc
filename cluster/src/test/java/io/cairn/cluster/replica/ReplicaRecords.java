package io.cairn.cluster.replica;

import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalTailer;
import io.cairn.cluster.journal.RecordTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;

/** Reads an origin journal and its replica the way a reader (the RIB) does, to compare them. */
final class ReplicaRecords {

    /** A record as a reader needs it; markers without their payload, which each journal fills in its own way. */
    record Rec(long originIndex, short type, String payload) {
    }

    /** What {@link Reader} records for {@link ReplicaRecordHandler#onStartOver}. */
    static final Rec START_OVER = new Rec(-2, (short) 0, "START OVER");

    private ReplicaRecords() {
    }

    static Rec rec(long index, short type, DirectBuffer buffer, int offset, int length) {
        if (RecordTypes.isMarker(type)) {
            return new Rec(index, type, "");
        }
        byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new Rec(index, type, new String(bytes, StandardCharsets.US_ASCII));
    }

    /** What a reader of the origin gets from its newest snapshot on. */
    static List<Rec> originFromSnapshot(Journal origin) {
        List<Rec> out = new ArrayList<>();
        try (JournalTailer tailer = origin.tailerFromSnapshot()) {
            while (tailer.poll((index, type, buffer, offset, length) -> out.add(rec(index, type, buffer, offset, length)),
                    1000) > 0) {
                // keep reading
            }
        }
        return out;
    }

    /** What a new reader of the replica gets from its newest snapshot on. */
    static List<Rec> replicaFromSnapshot(ReplicaJournal replica) {
        try (ReplicaTailer tailer = replica.tailerFromSnapshot()) {
            return new Reader().drain(tailer);
        }
    }

    /** A reader of a replica, collecting what it is handed, {@link #START_OVER} included. */
    static final class Reader implements ReplicaRecordHandler {
        final List<Rec> read = new ArrayList<>();

        @Override
        public void onStartOver() {
            read.add(START_OVER);
        }

        @Override
        public void onRecord(long originIndex, short type, DirectBuffer buffer, int offset, int length) {
            read.add(rec(originIndex, type, buffer, offset, length));
        }

        /** Reads everything available; returns all read so far. */
        List<Rec> drain(ReplicaTailer tailer) {
            while (tailer.poll(this, 1000) > 0) {
                // keep reading
            }
            return read;
        }
    }
}
