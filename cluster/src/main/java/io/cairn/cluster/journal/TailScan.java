package io.cairn.cluster.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NavigableSet;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads every retained record once at open, checks it, and finds the first damage: a record that
 * fails its check, an excerpt Chronicle cannot read, a cycle file without readable records, bytes
 * after the last record (a torn write or garbage), or a cycle file whose own header says it held
 * more than can be read (cut short). Cycle deletion keeps the retained records close to one
 * snapshot plus what followed it, which is what a restart replays anyway.
 */
final class TailScan {
    /** Bytes after a cycle's last record that must be empty (or hold only Chronicle's end-of-file mark). */
    private static final int TRAILER_WINDOW = 64 << 10;
    /** Chronicle's header word for "end of this cycle file": metadata and not-complete bits, length 0. */
    private static final int END_OF_CYCLE = 0xC0000000;
    private static final int NOT_COMPLETE = 0x80000000;
    /** What Chronicle writes after that header: the text "EOF" in its binary wire (0xc3 = 3-byte string). */
    private static final int EOF_TEXT = 0x464f45c3;

    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final CycleFiles files;
    private final SnapshotTracker snapshots = new SnapshotTracker();
    private final RecordBuffer record = new RecordBuffer();
    private int cycle = Integer.MIN_VALUE;
    private long lastGood = -1;
    private long lastGoodHeader = -1;
    private long lastGoodEnd = -1;
    private long records;

    /** The first damage found, or none. */
    record Damage(int cycle, long firstBadIndex, long lastGoodIndex, long position, String reason) {}

    /** Marks the end of the records, as opposed to damage. */
    private static final Damage END = new Damage(0, 0, 0, 0, "end of records");

    record Result(Damage damage, SnapshotTracker snapshots, long lastIndex, long records) {}

    private TailScan(SingleChronicleQueue queue, Path dir) {
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.files = new CycleFiles(dir, rollCycle);
    }

    static Result scan(SingleChronicleQueue queue, Path dir) throws JournalFormatException {
        TailScan scan = new TailScan(queue, dir);
        return new Result(scan.run(), scan.snapshots, scan.lastGood, scan.records);
    }

    private Damage run() throws JournalFormatException {
        if (queue.firstCycle() == Integer.MAX_VALUE) {
            return null; // no cycle file yet
        }
        NavigableSet<Long> listed = queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle());
        Iterator<Long> expected = listed.iterator();
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.toStart();
            while (true) {
                long next = tailer.index();
                Damage damage;
                try {
                    damage = readOne(tailer, expected);
                } catch (RuntimeException | InternalError e) {
                    return unreadable(next, expected, e);
                }
                if (damage == END) {
                    break;
                }
                if (damage != null) {
                    return damage;
                }
            }
        }
        if (cycle != Integer.MIN_VALUE) {
            Damage end = checkCycleEnd();
            if (end != null) {
                return end;
            }
        }
        if (expected.hasNext()) {
            return damageIn(expected.next().intValue(), -1, "cycle file has no readable record (its header is damaged?)");
        }
        return null;
    }

    private Damage readOne(ExcerptTailer tailer, Iterator<Long> expected) throws JournalFormatException {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return END;
            }
            long index = dc.index();
            int at = rollCycle.toCycle(index);
            if (at != cycle) {
                Damage skipped = enterCycle(at, expected);
                if (skipped != null) {
                    return skipped;
                }
            }
            Bytes<?> bytes = dc.wire().bytes();
            long header = bytes.readPosition() - 4;
            long end = bytes.readLimit();
            record.load(bytes);
            RecordFormat.Verdict verdict = record.verify(index);
            if (verdict != null) {
                if (verdict.kind() == RecordFormat.Verdict.Kind.NEWER_FORMAT) {
                    throw new JournalFormatException("journal " + files.file(at) + " index " + RecordFormat.hex(index)
                            + ": " + verdict.reason() + "; upgrade Cairn to read it (nothing was changed)");
                }
                return damageIn(at, header, verdict.reason());
            }
            snapshots.accept(index, record.type(), record.view(), RecordFormat.HEADER_LENGTH, record.payloadLength());
            lastGood = index;
            lastGoodHeader = header;
            lastGoodEnd = end;
            records++;
            return null;
        }
    }

    /**
     * Chronicle failed reading on from {@code next}: the damage is in the current cycle, unless that
     * ended cleanly and the failure came from opening the next cycle file.
     */
    private Damage unreadable(long next, Iterator<Long> expected, Throwable e) {
        String reason = "Chronicle cannot read on after the last good record: " + e;
        if (cycle == Integer.MIN_VALUE) {
            return damageIn(expected.hasNext() ? expected.next().intValue() : rollCycle.toCycle(next), -1, reason);
        }
        if (checkCycleEnd() == null && expected.hasNext()) {
            return damageIn(expected.next().intValue(), -1, reason);
        }
        return damageIn(cycle, -1, reason);
    }

    /** Moving to cycle {@code next}: the previous cycle must end cleanly and no listed cycle be skipped. */
    private Damage enterCycle(int next, Iterator<Long> expected) {
        if (cycle != Integer.MIN_VALUE) {
            Damage end = checkCycleEnd();
            if (end != null) {
                return end;
            }
        }
        while (expected.hasNext()) {
            int listed = expected.next().intValue();
            if (listed == next) {
                cycle = next;
                lastGoodHeader = -1;
                lastGoodEnd = -1;
                return null;
            }
            return damageIn(listed, -1, "cycle file has no readable record (its header is damaged?)");
        }
        cycle = next;
        return null;
    }

    private Damage damageIn(int at, long position, String reason) {
        long kept = lastGood >= 0 && rollCycle.toCycle(lastGood) == at ? lastGood : -1;
        long firstBad = kept >= 0 ? kept + 1 : rollCycle.toIndex(at, 0);
        return new Damage(at, firstBad, lastGood, position, reason);
    }

    /**
     * The bytes after the last good record of the current cycle, and the cycle's own write position.
     * Chronicle's end-of-cycle mark may end any cycle, the last one too (the writer rolled and the
     * next file was never written, or was moved to quarantine).
     */
    private Damage checkCycleEnd() {
        long recorded;
        try {
            SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
            recorded = store.writePosition();
            queue.closeStore(store);
        } catch (RuntimeException e) {
            return damageIn(cycle, -1, "cycle file header unreadable: " + e);
        }
        if (recorded > lastGoodHeader) {
            return damageIn(cycle, lastGoodEnd,
                    "the cycle file recorded a record at byte " + recorded + " but its last readable record ends at byte "
                            + lastGoodEnd + " (file cut short?)");
        }
        long from = (lastGoodEnd + 3) & ~3L; // Chronicle aligns headers to 4 bytes
        ByteBuffer window = ByteBuffer.allocate(TRAILER_WINDOW).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(files.file(cycle), StandardOpenOption.READ)) {
            while (window.hasRemaining() && channel.read(window, from + window.position()) > 0) {
                // fill what the file has
            }
        } catch (IOException e) {
            return damageIn(cycle, from, "cannot read the cycle file after its last record: " + e);
        }
        window.flip();
        if (window.remaining() >= 4) {
            int header = window.getInt(0);
            if (header == END_OF_CYCLE) {
                boolean eofText = window.remaining() >= 8 && window.getInt(4) == EOF_TEXT;
                window.position(eofText ? 8 : 4);
            } else if (header != 0) {
                String what = (header & NOT_COMPLETE) != 0 && header != END_OF_CYCLE
                        ? "a record left incomplete (torn write)" : "unexpected bytes";
                return damageIn(cycle, from, String.format("%s after the last record (header word %08x)", what, header));
            }
        }
        while (window.hasRemaining()) {
            if (window.get() != 0) {
                return damageIn(cycle, from + window.position() - 1, "unexpected non-zero bytes after the last record");
            }
        }
        return null;
    }
}
