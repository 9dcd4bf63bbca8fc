package io.cairn.cluster.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycle;

/** Names of Chronicle Queue cycle files (epoch 0, UTC), and the cycle files present in a directory. */
final class CycleFiles {
    static final String SUFFIX = ".cq4";
    private final Path dir;
    private final RollCycle rollCycle;
    private final DateTimeFormatter format;

    CycleFiles(Path dir, RollCycle rollCycle) {
        this.dir = dir;
        this.rollCycle = rollCycle;
        this.format = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
    }

    Path file(int cycle) {
        return dir.resolve(name(cycle));
    }

    String name(int cycle) {
        return format.format(Instant.ofEpochMilli((long) cycle * rollCycle.lengthInMillis())) + SUFFIX;
    }

    /** Cycle files in the directory whose cycle is above {@code cycle}, in cycle order. */
    List<Path> after(int cycle) throws IOException {
        return select(order -> order > 0, cycle);
    }

    /** Cycle files in the directory whose cycle is below {@code cycle}, in cycle order. */
    List<Path> before(int cycle) throws IOException {
        return select(order -> order < 0, cycle);
    }

    /** Names are fixed-width timestamps, so name order is cycle order. */
    private List<Path> select(IntPredicate orderAgainstCycle, int cycle) throws IOException {
        String pivot = name(cycle);
        List<Path> selected = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .filter(p -> orderAgainstCycle.test(p.getFileName().toString().compareTo(pivot)))
                    .sorted()
                    .forEach(selected::add);
        }
        return selected;
    }
}
