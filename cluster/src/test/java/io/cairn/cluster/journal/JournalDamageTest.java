package io.cairn.cluster.journal;

import static io.cairn.cluster.journal.JournalFixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.journal.JournalFixture.Rec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage the files the way crashes and disks do, reopen, and check that the journal keeps every
 * record before the damage, moves the damaged part to quarantine and says what it dropped.
 */
class JournalDamageTest {
    private static final int PER_CYCLE = 100;
    @TempDir Path dir;
    private final JournalFixture fixture = new JournalFixture();
    private final List<Rec> written = new ArrayList<>();
    private Path firstCycle;
    private Path lastCycle;

    /** Two cycle files of 100 records each. */
    @BeforeEach
    void writeTwoCycles() throws Exception {
        try (Journal journal = Journal.open(dir, fixture.options())) {
            for (int n = 0; n < 2 * PER_CYCLE; n++) {
                if (n == PER_CYCLE) {
                    fixture.nextCycle();
                }
                written.add(new Rec(JournalFixture.append(journal, n), JournalFixture.EVENT, JournalFixture.payload(n)));
            }
        }
        List<Path> files = JournalFixture.cycleFiles(dir);
        assertEquals(2, files.size());
        firstCycle = files.get(0);
        lastCycle = files.get(1);
    }

    @Test
    void lastFileCutInsideAPayload() throws Exception {
        truncate(lastCycle, payloadAt(lastCycle, 150) + 3);
        assertRepaired(150, lastCycle, List.of());
    }

    @Test
    void lastFileCutExactlyBeforeARecord() throws Exception {
        truncate(lastCycle, chronicleHeaderAt(lastCycle, 150));
        DroppedRange range = assertRepaired(150, lastCycle, List.of());
        assertTrue(range.reason().contains("cut short"), range.reason());
    }

    @Test
    void lastFileCutInsideARecordHeader() throws Exception {
        truncate(lastCycle, chronicleHeaderAt(lastCycle, 150) + 6);
        assertRepaired(150, lastCycle, List.of());
    }

    @Test
    void lastFileCutInsideItsOwnHeader() throws Exception {
        truncate(lastCycle, 100);
        assertRepaired(PER_CYCLE, lastCycle, List.of());
    }

    @Test
    void bitFlippedInAPayload() throws Exception {
        flipBit(lastCycle, payloadAt(lastCycle, 150) + 5);
        DroppedRange range = assertRepaired(150, lastCycle, List.of());
        assertTrue(range.reason().contains("checksum"), range.reason());
    }

    @Test
    void bitFlippedInTheRecordHeader() throws Exception {
        flipBit(lastCycle, payloadAt(lastCycle, 150) - RecordFormat.HEADER_LENGTH + RecordFormat.TYPE_OFFSET);
        assertRepaired(150, lastCycle, List.of());
    }

    @Test
    void bitFlippedInChroniclesExcerptLength() throws Exception {
        flipBit(lastCycle, chronicleHeaderAt(lastCycle, 150) + 1);
        assertRepaired(150, lastCycle, List.of());
    }

    @Test
    void garbageAfterTheLastRecord() throws Exception {
        byte[] garbage = new byte[100];
        new Random(5).nextBytes(garbage);
        write(lastCycle, endOf(lastCycle, 199), garbage);
        assertRepaired(2 * PER_CYCLE, lastCycle, List.of());
    }

    @Test
    void recordLeftHalfWrittenByAKilledWriter() throws Exception {
        ByteBuffer torn = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        torn.putInt(0x80000000 | 40).put(new byte[] {1, 0, 7, 0, 9, 9, 9, 9});
        write(lastCycle, endOf(lastCycle, 199), torn.array());
        DroppedRange range = assertRepaired(2 * PER_CYCLE, lastCycle, List.of());
        assertTrue(range.reason().contains("torn write"), range.reason());
    }

    @Test
    void damageInAnEarlierCycleDropsTheLaterCycleFilesToo() throws Exception {
        flipBit(firstCycle, payloadAt(firstCycle, 50) + 2);
        assertRepaired(50, firstCycle, List.of(lastCycle.getFileName().toString()));
    }

    @Test
    void damageAppearingWhileOpenStopsATailerOnTheDamagedRecord() throws Exception {
        try (Journal journal = Journal.open(dir, fixture.options()); JournalTailer tailer = journal.tailerFromStart()) {
            flipBit(lastCycle, payloadAt(lastCycle, 150) + 5); // the same pages Chronicle has mapped
            List<Long> read = new ArrayList<>();
            for (int attempt = 0; attempt < 2; attempt++) {
                JournalCorruptException e = assertThrows(JournalCorruptException.class,
                        () -> tailer.poll((index, type, buffer, offset, length) -> read.add(index), 1000));
                assertEquals(written.get(150).index(), e.index(), "never skipped");
                assertTrue(e.getMessage().contains("checksum"), e.getMessage());
            }
            assertEquals(written.subList(0, 150).stream().map(Rec::index).toList(), read);
        }
    }

    @Test
    void aRecordOfANewerFormatIsAnErrorNotDamage() throws Exception {
        try (SingleChronicleQueue queue = ChronicleQueues.open(dir, fixture.options());
                ExcerptAppender appender = queue.createAppender();
                DocumentContext dc = appender.writingDocument()) {
            byte[] header = new byte[RecordFormat.HEADER_LENGTH];
            byte[] payload = {1, 2, 3};
            RecordFormat.writeHeader(header, (short) 1, dc.index(), payload, 0, payload.length);
            header[RecordFormat.VERSION_OFFSET] = RecordFormat.VERSION + 1;
            RecordFormat.putInt(header, RecordFormat.CRC_OFFSET, RecordFormat.checksum(header, payload, 0, payload.length));
            Bytes<?> out = dc.wire().bytes();
            out.write(header);
            out.write(payload);
        }
        JournalFormatException newer = assertThrows(JournalFormatException.class, () -> Journal.open(dir, fixture.options()));
        assertTrue(newer.getMessage().contains("version 2 is newer"), newer.getMessage());
        assertFalse(Files.exists(dir.resolve(TailRepair.QUARANTINE)), "a newer record is not moved aside");
    }

    /**
     * Reopens: the journal holds exactly the first {@code kept} records, one range was dropped from
     * the next index, the damaged file (and {@code later} files) are in quarantine, and the repaired
     * journal takes new records and reopens intact.
     */
    private DroppedRange assertRepaired(int kept, Path damagedFile, List<String> later) throws Exception {
        long firstDropped = kept == written.size() ? written.get(kept - 1).index() + 1 : written.get(kept).index();
        DroppedRange range;
        Rec added;
        try (Journal journal = Journal.open(dir, fixture.options())) {
            List<DroppedRange> dropped = journal.recoveryReport().dropped();
            assertEquals(1, dropped.size(), dropped.toString());
            range = dropped.get(0);
            assertEquals(written.subList(0, kept), readAll(journal));
            assertEquals(firstDropped, range.firstDroppedIndex(), range.toString());
            assertEquals(written.get(kept - 1).index(), range.lastKeptIndex(), range.toString());
            assertEquals(damagedFile, range.cycleFile());
            assertEquals(later, range.laterFiles());
            assertTrue(Files.exists(range.quarantine().resolve(damagedFile.getFileName())), "damaged original kept aside");
            for (String file : later) {
                assertTrue(Files.exists(range.quarantine().resolve(file)), file + " kept aside");
            }
            fixture.nextCycle();
            byte[] more = JournalFixture.payload(1000);
            added = new Rec(journal.append(JournalFixture.EVENT, more, 0, more.length), JournalFixture.EVENT, more);
        }
        try (Journal journal = Journal.open(dir, fixture.options())) {
            assertTrue(journal.recoveryReport().intact(), journal.recoveryReport().toString());
            List<Rec> expected = new ArrayList<>(written.subList(0, kept));
            expected.add(added);
            assertEquals(expected, readAll(journal));
        }
        return range;
    }

    /** Byte offset of record {@code n}'s payload: its stamped index is the 8 bytes before it. */
    private long payloadAt(Path file, int n) throws IOException {
        byte[] content = Files.readAllBytes(file);
        byte[] stamp = new byte[8];
        RecordFormat.putLong(stamp, 0, written.get(n).index());
        for (int i = 0; i + 8 <= content.length; i++) {
            if (java.util.Arrays.equals(content, i, i + 8, stamp, 0, 8)) {
                return i + 8;
            }
        }
        throw new AssertionError("record " + n + " not found in " + file);
    }

    private long chronicleHeaderAt(Path file, int n) throws IOException {
        return payloadAt(file, n) - RecordFormat.HEADER_LENGTH - 4;
    }

    /** Where the next excerpt header after record {@code n} goes (Chronicle aligns them to 4 bytes). */
    private long endOf(Path file, int n) throws IOException {
        return (payloadAt(file, n) + written.get(n).payload().length + 3) & ~3L;
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void flipBit(Path file, long at) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x04));
            one.rewind();
            channel.write(one, at);
        }
    }

    private static void write(Path file, long at, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), at);
        }
    }
}
