package io.cairn.cluster.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.journal.JournalFixture.Rec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots let old cycle files go, so an endlessly flapping peer cannot fill the disk. */
class JournalRetentionTest {
    private static final int FLAPS = 100_000;
    private static final int ROUTES = 1000;
    private static final int SNAPSHOT_EVERY = 10_000;
    private static final int CYCLE_EVERY = 2_500;
    /** One snapshot (1000 records) plus at most ~6 cycles of flaps, with Chronicle's per-file index. */
    private static final long BOUND = 16L << 20;
    @TempDir Path dir;
    private final JournalFixture fixture = new JournalFixture();

    @Test
    void flappingWithPeriodicSnapshotsKeepsTheDirectoryBounded() throws Exception {
        long largest = 0;
        SnapshotPosition last = null;
        long totalAppended = 0;
        try (Journal journal = Journal.open(dir, fixture.options())) {
            for (int n = 0; n < FLAPS; n++) {
                if (n % CYCLE_EVERY == 0) {
                    fixture.nextCycle();
                }
                byte[] update = JournalFixture.payload(n); // announce or withdraw, alternately
                journal.append(JournalFixture.EVENT, update, 0, update.length);
                totalAppended += update.length;
                if (n % SNAPSHOT_EVERY == SNAPSHOT_EVERY - 1) {
                    journal.beginSnapshot();
                    for (int route = 0; route < ROUTES; route++) {
                        byte[] path = JournalFixture.payload(route);
                        journal.append((short) 1, path, 0, path.length);
                        totalAppended += path.length;
                    }
                    last = journal.endSnapshot();
                    largest = Math.max(largest, JournalFixture.cycleBytes(dir));
                }
            }
            largest = Math.max(largest, JournalFixture.cycleBytes(dir));
        }
        assertTrue(largest < BOUND, "journal directory reached " + largest + " bytes (bound " + BOUND + ") after "
                + totalAppended + " bytes appended");
        assertTrue(JournalFixture.cycleFiles(dir).size() <= 6, "cycle files left: " + JournalFixture.cycleFiles(dir));

        try (Journal journal = Journal.open(dir, fixture.options())) {
            assertTrue(journal.recoveryReport().intact(), journal.recoveryReport().toString());
            assertEquals(last, journal.newestSnapshot().orElseThrow());
            try (JournalTailer tailer = journal.tailerFromSnapshot()) {
                List<Rec> replay = JournalFixture.drain(tailer);
                assertEquals(RecordTypes.SNAPSHOT_BEGIN, replay.get(0).type());
                assertEquals(RecordTypes.SNAPSHOT_END, replay.get(ROUTES + 1).type());
                assertEquals(ROUTES + 2, replay.size(), "the last snapshot ends the journal");
            }
        }
    }
}
