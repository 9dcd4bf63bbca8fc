package io.cairn.cluster.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A journal on one-second cycles driven by a clock the test moves, and helpers to read it back.
 * Public for the replica tests, whose replicas are journals too.
 */
public final class JournalFixture {
    static final short EVENT = 7;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

    public JournalOptions options() {
        return JournalOptions.defaults()
                .withRollCycle(JournalRollCycle.SECONDLY_FOR_TESTS, clock::get)
                .withBlockSize(256 << 10)
                .withMinFreeBytes(4L << 20);
    }

    /** Moves to the next cycle. */
    public void nextCycle() {
        clock.addAndGet(1000);
    }

    /** A payload that names its record, of a length that varies with it. */
    public static byte[] payload(int n) {
        String text = "record " + n + " " + "x".repeat(n % 97);
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static long append(Journal journal, int n) throws JournalUnavailableException {
        byte[] p = payload(n);
        return journal.append(EVENT, p, 0, p.length);
    }

    record Rec(long index, short type, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Rec r && r.index == index && r.type == type && Arrays.equals(r.payload, payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(index) * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return RecordFormat.hex(index) + "/" + type + "/" + new String(payload, StandardCharsets.US_ASCII);
        }
    }

    /** Everything the tailer has now. */
    static List<Rec> drain(JournalTailer tailer) {
        List<Rec> out = new ArrayList<>();
        while (tailer.poll((index, type, buffer, offset, length) -> {
            byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            out.add(new Rec(index, type, copy));
        }, 1000) > 0) {
            // keep reading
        }
        return out;
    }

    static List<Rec> readAll(Journal journal) {
        try (JournalTailer tailer = journal.tailerFromStart()) {
            return drain(tailer);
        }
    }

    public static List<Path> cycleFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(CycleFiles.SUFFIX)).sorted().toList();
        }
    }

    /** Sum of the cycle files' lengths. */
    static long cycleBytes(Path dir) throws IOException {
        long total = 0;
        for (Path file : cycleFiles(dir)) {
            total += Files.size(file);
        }
        return total;
    }
}
