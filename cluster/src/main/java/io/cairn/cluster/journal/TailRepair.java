package io.cairn.cluster.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.InternalAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Moves damage aside: the damaged cycle file and every later one go to
 * {@code <dir>/quarantine/<time>-<cycle>/} untouched, and the damaged cycle is rebuilt from its good
 * records at their original indices (Chronicle cannot truncate a cycle file in place: its header and
 * index would still point past the cut).
 */
final class TailRepair {
    static final String QUARANTINE = "quarantine";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS").withZone(ZoneOffset.UTC);

    private TailRepair() {}

    static DroppedRange repair(Path dir, JournalOptions options, TailScan.Damage damage) throws IOException {
        RollCycle rollCycle = options.rollCycle().chronicle();
        CycleFiles files = new CycleFiles(dir, rollCycle);
        Path damaged = files.file(damage.cycle());
        Path quarantine = dir.resolve(QUARANTINE).resolve(STAMP.format(Instant.now()) + "-" + damage.cycle());
        Files.createDirectories(quarantine);
        long lastKeptInCycle = damage.firstBadIndex() - 1;
        boolean keepSome = damage.lastGoodIndex() >= 0 && rollCycle.toCycle(damage.lastGoodIndex()) == damage.cycle();
        Path rebuilt = keepSome ? rebuild(dir, options, damage.cycle(), lastKeptInCycle, quarantine) : null;

        List<String> later = new ArrayList<>();
        for (Path file : files.after(damage.cycle())) {
            Files.move(file, quarantine.resolve(file.getFileName()));
            later.add(file.getFileName().toString());
        }
        if (Files.exists(damaged)) {
            Files.move(damaged, quarantine.resolve(damaged.getFileName()));
        }
        if (rebuilt != null) {
            Files.move(rebuilt, damaged, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(rebuilt.getParent());
        }
        return new DroppedRange(damaged, damage.firstBadIndex(), damage.lastGoodIndex(), damage.position(),
                damage.reason(), quarantine, later);
    }

    /** Copies the records of {@code cycle} up to {@code lastKept} into a fresh cycle file, same indices. */
    private static Path rebuild(Path dir, JournalOptions options, int cycle, long lastKept, Path quarantine) {
        Path scratch = quarantine.resolve("rebuild");
        try (SingleChronicleQueue source = ChronicleQueues.open(dir, options);
                SingleChronicleQueue target = ChronicleQueues.open(scratch, options);
                ExcerptTailer tailer = source.createTailer();
                InternalAppender appender = (InternalAppender) target.createAppender()) {
            tailer.moveToCycle(cycle);
            long copied = -1;
            while (copied < lastKept) { // never reads past lastKept: what follows is the damage
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        throw new IllegalStateException("record " + RecordFormat.hex(copied + 1) + " vanished while repairing");
                    }
                    byte[] copy = new byte[(int) dc.wire().bytes().readRemaining()];
                    dc.wire().bytes().read(copy);
                    appender.writeBytes(dc.index(), BytesStore.wrap(copy));
                    copied = dc.index();
                }
            }
        }
        return scratch.resolve(new CycleFiles(scratch, options.rollCycle().chronicle()).name(cycle));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
