package io.cairn.cluster.journal;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A writer process for {@link JournalKillTest}: appends {@link JournalFixture#payload} records to
 * the journal in {@code args[0]} for ever, printing "ack N INDEX" once append N has returned.
 */
public final class AppendLoop {
    private AppendLoop() {}

    public static void main(String[] args) throws Exception {
        JournalOptions options = JournalOptions.defaults().withBlockSize(1 << 20).withMinFreeBytes(64L << 20);
        try (Journal journal = Journal.open(Path.of(args[0]), options);
                BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII))) {
            for (int n = 0; ; n++) {
                long index = JournalFixture.append(journal, n);
                out.write("ack " + n + " " + index + "\n");
                out.flush();
            }
        }
    }
}
