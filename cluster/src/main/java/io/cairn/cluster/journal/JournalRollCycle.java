package io.cairn.cluster.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * How often the journal starts a new cycle file. Only whole cycle files can be deleted, so the
 * cycle length bounds how much superseded history stays on disk after a snapshot.
 */
public enum JournalRollCycle {
    /** One file per second: for tests (with a controlled clock) and nothing else. */
    SECONDLY_FOR_TESTS(TestRollCycles.TEST_SECONDLY),
    FIVE_MINUTELY(RollCycles.FIVE_MINUTELY),
    HOURLY(RollCycles.FAST_HOURLY),
    DAILY(RollCycles.FAST_DAILY);

    private final RollCycle chronicle;

    JournalRollCycle(RollCycle chronicle) {
        this.chronicle = chronicle;
    }

    RollCycle chronicle() {
        return chronicle;
    }
}
