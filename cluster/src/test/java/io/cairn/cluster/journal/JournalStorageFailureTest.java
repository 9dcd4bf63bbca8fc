package io.cairn.cluster.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.cluster.journal.JournalFixture.Rec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage failing under a running journal: appends are refused and health says why, nothing is lost. */
class JournalStorageFailureTest {
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);
    @TempDir Path dir;
    private final JournalFixture fixture = new JournalFixture();

    @Test
    void aRemovedDirectoryMakesAppendsFailAndTheJournalUnhealthy() throws Exception {
        Path journalDir = dir.resolve("journal");
        try (Journal journal = Journal.open(journalDir, fixture.options())) {
            JournalFixture.append(journal, 0);
            deleteTree(journalDir);
            JournalUnavailableException refused = appendUntilRefused(journal);
            assertTrue(refused.getMessage().contains("was removed"), refused.getMessage());
            assertFalse(journal.healthy());
            assertTrue(journal.healthReason().contains(journalDir.toString()), journal.healthReason());
            assertFalse(journal.checkStorage(), "a removed directory stays a problem");
        }
    }

    @Test
    void belowTheFreeSpaceReserveAppendsAreRefusedUntilSpaceComesBack() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
        Path mount = Files.createDirectory(dir.resolve("small-disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount.toString()) == 0,
                "cannot mount a tmpfs here (container without CAP_SYS_ADMIN?)");
        try {
            Path journalDir = mount.resolve("journal");
            List<Rec> acknowledged = new ArrayList<>();
            JournalOptions options = fixture.options().withMinFreeBytes(2L << 20);
            JournalUnavailableException refused;
            Path filler = mount.resolve("filler");
            try (Journal journal = Journal.open(journalDir, options)) {
                refused = fillUntilRefused(journal, acknowledged);
                assertTrue(refused.getMessage().contains("bytes free"), refused.getMessage());
                assertFalse(journal.healthy());
                assertTrue(journal.healthReason().contains("reserve"), journal.healthReason());
                Files.write(filler, new byte[1 << 20]); // something else takes space; still refused
                assertFalse(journal.checkStorage());
                Files.delete(filler);
            }
            try (Journal journal = Journal.open(journalDir, options.withMinFreeBytes(1L << 20))) {
                assertTrue(journal.recoveryReport().intact(), journal.recoveryReport().toString());
                assertEquals(acknowledged, JournalFixture.readAll(journal), "every acknowledged record survived");
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    private JournalUnavailableException fillUntilRefused(Journal journal, List<Rec> acknowledged) {
        long start = System.nanoTime();
        for (int n = 0; System.nanoTime() - start < DEADLINE_NANOS; n++) {
            if (n % 2000 == 1999) {
                fixture.nextCycle(); // each cycle file takes its own index space too
            }
            byte[] payload = JournalFixture.payload(n);
            try {
                acknowledged.add(new Rec(journal.append(JournalFixture.EVENT, payload, 0, payload.length), JournalFixture.EVENT, payload));
            } catch (JournalUnavailableException e) {
                return e;
            }
        }
        throw new AssertionError("appends were never refused; " + acknowledged.size() + " accepted");
    }

    private static JournalUnavailableException appendUntilRefused(Journal journal) {
        long start = System.nanoTime();
        for (int n = 1; System.nanoTime() - start < DEADLINE_NANOS; n++) {
            try {
                JournalFixture.append(journal, n);
            } catch (JournalUnavailableException e) {
                return e;
            }
        }
        throw new AssertionError("appends were never refused");
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
