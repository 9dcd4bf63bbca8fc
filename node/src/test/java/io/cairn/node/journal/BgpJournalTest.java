package io.cairn.node.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalOptions;
import io.cairn.cluster.journal.JournalTailer;
import io.cairn.cluster.journal.RecordTypes;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.UpdateCorpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BGP records through a real journal: what a restart replays is what was appended. */
class BgpJournalTest {
    @TempDir Path dir;

    @Test
    void aSessionsRecordsAndASnapshotReplayInOrder() throws Exception {
        List<BgpRecord> events = new ArrayList<>();
        events.add(new BgpRecord.PeerUp(BgpRecordCodecTest.PEER, "sdwan",
                BgpRecordCodecTest.wire(BgpRecordCodecTest.LOCAL), BgpRecordCodecTest.wire(BgpRecordCodecTest.REMOTE), null));
        for (UpdateCorpus c : UpdateCorpus.load()) {
            if (!c.has("addpath") && c.has("as4")) {
                events.add(new BgpRecord.Update(BgpRecordCodecTest.PEER, c.message()));
            }
        }
        events.add(new BgpRecord.EndOfRib(BgpRecordCodecTest.PEER, AddressFamily.IPV4_UNICAST));
        List<BgpRecord> snapshot = List.of(
                new BgpRecord.PeerDown(BgpRecordCodecTest.PEER, "stale when the snapshot was taken", BgpRecord.DownKind.KEEP_STALE));
        BgpRecord down = new BgpRecord.PeerDown(BgpRecordCodecTest.PEER, "hold timer expired", BgpRecord.DownKind.CONNECTION_LOST);

        try (Journal journal = Journal.open(dir.resolve("journal"), JournalOptions.defaults())) {
            for (BgpRecord event : events) {
                append(journal, event);
            }
            journal.beginSnapshot();
            for (BgpRecord entry : snapshot) {
                append(journal, entry);
            }
            journal.endSnapshot();
            append(journal, down);
        }

        try (Journal journal = Journal.open(dir.resolve("journal"), JournalOptions.defaults());
                JournalTailer replay = journal.tailerFromSnapshot()) {
            List<Object> read = new ArrayList<>();
            while (replay.poll((index, type, buffer, offset, length) -> read.add(RecordTypes.isMarker(type)
                    ? (Object) type : BgpRecordCodec.decode(type, buffer, offset, length)), 100) > 0) {
                // until caught up
            }
            assertEquals(4, read.size(), read.toString());
            assertEquals(RecordTypes.SNAPSHOT_BEGIN, read.get(0));
            assertArrayEquals(BgpRecordCodec.encode(snapshot.get(0)), BgpRecordCodec.encode((BgpRecord) read.get(1)));
            assertEquals(RecordTypes.SNAPSHOT_END, read.get(2));
            assertEquals(down, read.get(3));
        }
        try (Journal journal = Journal.open(dir.resolve("journal"), JournalOptions.defaults());
                JournalTailer all = journal.tailerFromStart()) {
            List<byte[]> read = new ArrayList<>();
            boolean[] inSnapshot = {false};
            all.poll((index, type, buffer, offset, length) -> {
                if (RecordTypes.isMarker(type)) {
                    inSnapshot[0] = type == RecordTypes.SNAPSHOT_BEGIN;
                } else if (!inSnapshot[0]) {
                    read.add(BgpRecordCodec.encode(BgpRecordCodec.decode(type, buffer, offset, length)));
                }
            }, 10_000);
            List<BgpRecord> expected = new ArrayList<>(events);
            expected.add(down);
            assertEquals(expected.size(), read.size());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(BgpRecordCodec.encode(expected.get(i)), read.get(i), "record " + i);
            }
        }
    }

    private static void append(Journal journal, BgpRecord record) throws Exception {
        byte[] payload = BgpRecordCodec.encode(record);
        journal.append(record.type(), payload, 0, payload.length);
    }
}
