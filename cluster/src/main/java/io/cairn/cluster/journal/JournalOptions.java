package io.cairn.cluster.journal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How a journal is opened.
 *
 * @param rollCycle how often a new cycle file starts
 * @param clockMillis wall clock in ms that decides the cycle (tests pass a controlled one)
 * @param blockSize bytes Chronicle maps at a time (and grows a cycle file by)
 * @param minFreeBytes appends are refused while the file system has less free space than this:
 *     Chronicle writes through memory-mapped files, and a write into a mapped page the disk has no
 *     room for raises SIGBUS instead of an error, so the journal stops well before that
 * @param storageCheckInterval how often (at most) append re-checks free space and that the directory
 *     and the current cycle file still exist
 */
public record JournalOptions(
        JournalRollCycle rollCycle,
        LongSupplier clockMillis,
        long blockSize,
        long minFreeBytes,
        Duration storageCheckInterval) {

    public JournalOptions {
        if (blockSize < (64 << 10) || Long.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("blockSize must be a power of two of at least 64 KiB, got " + blockSize);
        }
        if (minFreeBytes < 2 * blockSize) {
            throw new IllegalArgumentException(
                    "minFreeBytes (" + minFreeBytes + ") must be at least two blocks (" + 2 * blockSize + ")");
        }
    }

    /** Hourly cycles, 64 MiB blocks, appends refused below 256 MiB free, storage checked every 100 ms. */
    public static JournalOptions defaults() {
        return new JournalOptions(JournalRollCycle.HOURLY, System::currentTimeMillis, 64L << 20, 256L << 20,
                Duration.ofMillis(100));
    }

    public JournalOptions withRollCycle(JournalRollCycle cycle, LongSupplier clock) {
        return new JournalOptions(cycle, clock, blockSize, minFreeBytes, storageCheckInterval);
    }

    public JournalOptions withBlockSize(long bytes) {
        return new JournalOptions(rollCycle, clockMillis, bytes, Math.max(minFreeBytes, 2 * bytes), storageCheckInterval);
    }

    public JournalOptions withMinFreeBytes(long bytes) {
        return new JournalOptions(rollCycle, clockMillis, blockSize, bytes, storageCheckInterval);
    }
}
