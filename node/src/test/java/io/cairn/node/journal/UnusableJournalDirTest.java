package io.cairn.node.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.cli.CairnJvm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal directory that cannot be opened stops {@code cairn run} at start with exit code 1 and
 * one line naming the journal and why (README "The journal and restarts"), rather than a node that
 * runs without one or a stack trace.
 */
class UnusableJournalDirTest {

    @TempDir
    Path dir;

    @Test
    void aRegularFileWhereTheDirectoryShouldBe() throws Exception {
        Path file = Files.writeString(dir.resolve("journal"), "not a directory");
        assertRunStopsNaming(file);
    }

    @Test
    void aDirectoryUnderARegularFile() throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");
        assertRunStopsNaming(file.resolve("journal"));
    }

    private void assertRunStopsNaming(Path journal) throws Exception {
        Path config = Files.writeString(dir.resolve("cairn.yaml"), """
                node: {id: a, router-id: 10.1.0.4, listen: "127.0.0.1:%d"}
                vnet: {prefixes: [10.1.0.0/16], next-hop: 192.0.2.254}
                admin: {listen: "127.0.0.1:%d"}
                journal: {dir: %s}
                peers: []
                """.formatted(Loopback.freePort(Loopback.address(1)), Loopback.freePort(Loopback.address(1)), journal));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(CairnJvm.command(CairnJvm.mainClasspath(), List.of(CairnProcess.HEAP),
                "run", "--config", config.toString())).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cairn run kept running on an unusable journal directory " + journal);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), stderr);
        // Log lines (timestamped) may come before it; the reason is one line of its own.
        List<String> reasons = stderr.lines().filter(l -> l.startsWith(config + ": journal")).toList();
        assertEquals(1, reasons.size(), stderr);
        assertTrue(reasons.get(0).contains(journal.toString()), "names the journal directory: " + reasons.get(0));
        assertTrue(stderr.lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + stderr);
    }
}
