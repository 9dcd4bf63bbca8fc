package io.cairn.cluster.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.journal.JournalFixture.Rec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer process killed with SIGKILL mid-stream loses no record it acknowledged. */
class JournalKillTest {
    private static final int ACKS_BEFORE_KILL = 5_000;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);
    @TempDir Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesKillNine() throws Exception {
        Path journalDir = dir.resolve("journal");
        Process writer = startWriter(journalDir);
        Map<Long, Integer> acked = new HashMap<>();
        try {
            readAcksThenKill(writer, journalDir, acked);
        } finally {
            writer.destroyForcibly(); // already dead unless the test failed early
        }

        try (Journal journal = Journal.open(journalDir, JournalOptions.defaults())) {
            List<Rec> kept = JournalFixture.readAll(journal);
            Map<Long, Rec> byIndex = new HashMap<>();
            kept.forEach(r -> byIndex.put(r.index(), r));
            List<String> missing = new ArrayList<>();
            acked.forEach((index, n) -> {
                Rec rec = byIndex.get(index);
                if (rec == null || !new Rec(index, JournalFixture.EVENT, JournalFixture.payload(n)).equals(rec)) {
                    missing.add(n + "@" + RecordFormat.hex(index));
                }
            });
            assertEquals(List.of(), missing, "acknowledged records missing or changed after kill -9");
            assertTrue(kept.size() >= acked.size());
            for (int i = 0; i < kept.size(); i++) {
                assertEquals(new Rec(kept.get(i).index(), JournalFixture.EVENT, JournalFixture.payload(i)), kept.get(i),
                        "records are the writer's, in order, with nothing after a gap");
            }
        }
    }

    /** Reads acknowledgements until enough, checks the lock against a second writer, kills the writer. */
    private static void readAcksThenKill(Process writer, Path journalDir, Map<Long, Integer> acked) throws Exception {
        try (BufferedReader acks = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII))) {
            long start = System.nanoTime();
            while (acked.size() < ACKS_BEFORE_KILL) {
                assertTrue(System.nanoTime() - start < DEADLINE_NANOS, "writer acknowledged only " + acked.size() + " records");
                String line = acks.readLine();
                assertTrue(line != null, () -> "writer exited early with " + waitExit(writer));
                record(line, acked);
            }
            JournalLockedException second = assertThrows(JournalLockedException.class,
                    () -> Journal.open(journalDir, JournalOptions.defaults()));
            assertTrue(second.getMessage().contains("pid " + writer.pid()), second.getMessage());

            // SIGKILL on Linux: no shutdown hook, no close. Through the handle, which (unlike
            // Process.destroyForcibly) leaves the pipe open, so acknowledgements still in it can be read.
            assertTrue(writer.toHandle().destroyForcibly());
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "writer did not die");
            assertEquals(137, writer.exitValue(), "killed by SIGKILL");
            for (String line = acks.readLine(); line != null; line = acks.readLine()) {
                record(line, acked); // acknowledged before the kill, still in the pipe
            }
        }
    }

    private static void record(String line, Map<Long, Integer> acked) {
        String[] parts = line.split(" ");
        if (parts.length == 3 && parts[0].equals("ack")) {
            acked.put(Long.parseLong(parts[2]), Integer.parseInt(parts[1]));
        }
    }

    private static Process startWriter(Path journalDir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle.")) {
                command.add(arg);
            }
        }
        command.add("-Dlogback.configurationFile=logback-child.xml");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AppendLoop.class.getName());
        command.add(journalDir.toString());
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String waitExit(Process process) {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "no exit";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
