package io.cairn.node.warmup;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up warm-up: every round through a throwaway node, bounded by its budget, nothing left behind. */
class WarmUpTest {

    @Test
    void everyRoundGoesThroughTheThrowawayNodeWhichLeavesNoJournalBehind() throws IOException {
        Set<Path> before = journals();
        WarmUp.Result r = WarmUp.run(2_000, 2, Duration.ofSeconds(60));
        assertTrue(r.complete(), r.toString());
        assertEquals(2, r.rounds());
        assertEquals(2 * (3 * 2_000 + 2_000) + 2 * 1_000, r.paths(),
                "per round: an ECMP pair and a backup, then a prepend; from the second, two quiet NVAs on 1,000");
        Set<Path> left = journals();
        left.removeAll(before);
        assertEquals(Set.of(), left, "the throwaway node's temporary journal");
    }

    @Test
    void aWarmUpOverItsBudgetStopsThereAndTheNodeStartsAnyway() {
        long started = System.nanoTime();
        WarmUp.Result r = WarmUp.run(60_000, 16, Duration.ofMillis(300));
        assertFalse(r.complete(), r.toString());
        assertTrue(r.rounds() < 16, r.toString());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) < 0,
                "stopping took " + r.millis() + " ms");
    }

    private static Set<Path> journals() throws IOException {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.filter(p -> p.getFileName().toString().startsWith("cairn-journal-")).collect(Collectors.toSet());
        }
    }
}
