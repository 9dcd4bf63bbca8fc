package io.cairn.cluster.journal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Append, tail and open-scan throughput. A measurement, not a test: it runs only with
 * {@code -Dcairn.journal.bench=true}, e.g.
 * {@code mvn -B -o -pl cluster test -Dtest=JournalThroughputBench -Dcairn.journal.bench=true}.
 */
class JournalThroughputBench {
    private static final int WARMUP = 50_000;
    private static final int ROUNDS = 3;
    @TempDir Path dir;

    @Test
    void appendTailAndScan() throws Exception {
        assumeTrue(Boolean.getBoolean("cairn.journal.bench"), "a measurement; run with -Dcairn.journal.bench=true");
        measure(1024, 200_000);
        measure(100, 500_000);
    }

    private void measure(int size, int records) throws Exception {
        Path journalDir = dir.resolve("bench-" + size);
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i * 31);
        }
        double appendSeconds;
        try (Journal journal = Journal.open(journalDir, JournalOptions.defaults())) {
            for (int i = 0; i < WARMUP; i++) {
                journal.append((short) 1, payload, 0, size);
            }
            appendSeconds = Double.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) { // the best round: the machine is shared
                long start = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    journal.append((short) 1, payload, 0, size);
                }
                appendSeconds = Math.min(appendSeconds, (System.nanoTime() - start) / 1e9);
            }
        }
        long openStart = System.nanoTime();
        try (Journal journal = Journal.open(journalDir, JournalOptions.defaults())) {
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            long[] bytes = new long[1];
            JournalRecordHandler count = (index, type, buffer, offset, length) -> bytes[0] += length;
            try (JournalTailer warm = journal.tailerFromStart()) {
                warm.poll(count, WARMUP);
            }
            bytes[0] = 0;
            long start = System.nanoTime();
            long read = 0; // every round's records
            try (JournalTailer tailer = journal.tailerFromStart()) {
                for (int n = tailer.poll(count, 4096); n > 0; n = tailer.poll(count, 4096)) {
                    read += n;
                }
            }
            double tailSeconds = (System.nanoTime() - start) / 1e9;
            long total = WARMUP + (long) ROUNDS * records;
            System.out.printf("journal bench, %d-byte records: append %,.0f records/s (%.1f MB/s), best of %d rounds of %,d; "
                    + "tail %,.0f records/s (%.1f MB/s) over %,d; open with integrity scan of %,d records %.2f s%n",
                    size, records / appendSeconds, records * (double) size / appendSeconds / 1e6, ROUNDS, records,
                    read / tailSeconds, bytes[0] / tailSeconds / 1e6, read, total, openSeconds);
        }
    }
}
