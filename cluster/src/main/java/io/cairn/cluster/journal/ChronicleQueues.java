package io.cairn.cluster.journal;

import java.nio.file.Path;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/** Builds the Chronicle queue behind a journal, the same way for the journal and for its repair. */
final class ChronicleQueues {
    /**
     * How long an appender waits on a header left "not complete" before overwriting it. The writer
     * lock guarantees nobody else is writing, and the open scan has already moved such a torn tail
     * aside, so there is nothing to wait for.
     */
    private static final long HEADER_TIMEOUT_MS = 500;

    private ChronicleQueues() {}

    static SingleChronicleQueue open(Path dir, JournalOptions options) {
        TimeProvider clock = options.clockMillis()::getAsLong;
        return SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(options.rollCycle().chronicle())
                .timeProvider(clock)
                .blockSize(options.blockSize())
                .timeoutMS(HEADER_TIMEOUT_MS)
                .build();
    }
}
