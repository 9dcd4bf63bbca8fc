package io.cairn.cluster.journal;

import static io.cairn.cluster.journal.JournalFixture.append;
import static io.cairn.cluster.journal.JournalFixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.journal.JournalFixture.Rec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir Path dir;
    private final JournalFixture fixture = new JournalFixture();

    @Test
    void recordsAndTheirIndicesSurviveReopenAcrossCycles() throws Exception {
        List<Rec> written = new ArrayList<>();
        try (Journal journal = Journal.open(dir, fixture.options())) {
            for (int n = 0; n < 900; n++) {
                if (n % 300 == 0) {
                    fixture.nextCycle();
                }
                written.add(new Rec(append(journal, n), JournalFixture.EVENT, JournalFixture.payload(n)));
            }
            assertEquals(written.get(899).index(), journal.lastIndex());
        }
        assertEquals(3, JournalFixture.cycleFiles(dir).size(), "three cycles, three files");
        try (Journal journal = Journal.open(dir, fixture.options())) {
            assertTrue(journal.recoveryReport().intact(), journal.recoveryReport().toString());
            assertEquals(written, readAll(journal));
            long next = append(journal, 900);
            assertEquals(written.get(899).index() + 1, next, "the same cycle continues where it stopped");
        }
    }

    @Test
    void tailerAtAnIndexStartsThereAndRefusesIndicesNotHeld() throws Exception {
        try (Journal journal = Journal.open(dir, fixture.options())) {
            List<Long> indices = new ArrayList<>();
            for (int n = 0; n < 50; n++) {
                if (n == 25) {
                    fixture.nextCycle();
                }
                indices.add(append(journal, n));
            }
            try (JournalTailer tailer = journal.tailerAt(indices.get(30))) {
                List<Rec> read = JournalFixture.drain(tailer);
                assertEquals(indices.subList(30, 50), read.stream().map(Rec::index).toList());
            }
            try (JournalTailer live = journal.tailerAt(journal.lastIndex() + 1)) {
                assertEquals(0, JournalFixture.drain(live).size(), "nothing after the end yet");
                long next = append(journal, 50);
                assertEquals(List.of(next), JournalFixture.drain(live).stream().map(Rec::index).toList());
            }
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> journal.tailerAt(indices.get(0) + 1_000_000));
            assertTrue(unknown.getMessage().contains("holds no record"), unknown.getMessage());
        }
    }

    @Test
    void pollIsNonBlockingAndRespectsItsLimit() throws Exception {
        try (Journal journal = Journal.open(dir, fixture.options()); JournalTailer tailer = journal.tailerFromStart()) {
            JournalRecordHandler ignore = (i, t, b, o, l) -> { };
            assertEquals(0, tailer.poll(ignore, 10));
            for (int n = 0; n < 5; n++) {
                append(journal, n);
            }
            assertEquals(3, tailer.poll(ignore, 3));
            assertEquals(2, tailer.poll(ignore, 10));
            assertEquals(0, tailer.poll(ignore, 10));
        }
    }

    @Test
    void aTailerMadeOnOneThreadIsPolledByAnother() throws Exception {
        try (Journal journal = Journal.open(dir, fixture.options()); JournalTailer tailer = journal.tailerFromStart()) {
            long first = append(journal, 0);
            List<Rec> read = CompletableFuture.supplyAsync(() -> JournalFixture.drain(tailer)).get();
            assertEquals(List.of(new Rec(first, JournalFixture.EVENT, JournalFixture.payload(0))), read);
        }
    }

    @Test
    void aRecordAppendedInTwoPartsIsOnePayloadAndSurvivesReopen() throws Exception {
        byte[] head = {1, 2, 3, 99};
        byte[] body = "the message a session handed over".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] whole = new byte[3 + body.length - 4];
        System.arraycopy(head, 0, whole, 0, 3);
        System.arraycopy(body, 4, whole, 3, body.length - 4);
        long index;
        try (Journal journal = Journal.open(dir, fixture.options())) {
            index = journal.append(JournalFixture.EVENT, head, 3, body, 4, body.length - 4);
        }
        try (Journal journal = Journal.open(dir, fixture.options())) {
            assertTrue(journal.recoveryReport().dropped().isEmpty(), "its checksum covers both parts");
            assertEquals(List.of(new Rec(index, JournalFixture.EVENT, whole)), readAll(journal));
        }
    }

    @Test
    void handlerFailureRedeliversTheSameRecord() throws Exception {
        try (Journal journal = Journal.open(dir, fixture.options()); JournalTailer tailer = journal.tailerFromStart()) {
            long first = append(journal, 0);
            assertThrows(IllegalStateException.class, () -> tailer.poll((i, t, b, o, l) -> {
                throw new IllegalStateException("consumer failed");
            }, 10));
            assertEquals(first, JournalFixture.drain(tailer).get(0).index());
        }
    }

    @Test
    void directBufferAndArrayAppendsStoreTheSameBytes() throws Exception {
        try (Journal journal = Journal.open(dir, fixture.options())) {
            byte[] bytes = JournalFixture.payload(42);
            byte[] framed = new byte[bytes.length + 10];
            System.arraycopy(bytes, 0, framed, 5, bytes.length);
            journal.append((short) 3, new UnsafeBuffer(framed), 5, bytes.length);
            journal.append((short) 3, framed, 5, bytes.length);
            List<Rec> read = readAll(journal);
            assertEquals(2, read.size());
            assertEquals(new Rec(read.get(0).index(), (short) 3, bytes), read.get(0));
            assertEquals(new Rec(read.get(1).index(), (short) 3, bytes), read.get(1));
        }
    }

    @Test
    void reservedTypesAndOtherThreadsCannotAppend() throws Exception {
        try (Journal journal = Journal.open(dir, fixture.options())) {
            assertThrows(IllegalArgumentException.class, () -> journal.append(RecordTypes.SNAPSHOT_END, new byte[0], 0, 0));
            append(journal, 1);
            ExecutionException other = assertThrows(ExecutionException.class,
                    () -> CompletableFuture.runAsync(() -> {
                        try {
                            append(journal, 2);
                        } catch (JournalUnavailableException e) {
                            throw new AssertionError(e);
                        }
                    }).get());
            assertTrue(other.getCause().getMessage().contains("one writer thread"), other.getCause().getMessage());
        }
    }

    @Test
    void aSecondWriterIsRefused() throws Exception {
        try (Journal journal = Journal.open(dir, fixture.options())) {
            JournalLockedException refused = assertThrows(JournalLockedException.class,
                    () -> Journal.open(dir, fixture.options()));
            assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
        }
        Journal.open(dir, fixture.options()).close(); // released on close
    }

    @Test
    void tailerFromSnapshotStartsAtTheNewestCompleteOneAndIgnoresAnUnfinishedOne() throws Exception {
        long firstId;
        try (Journal journal = Journal.open(dir, fixture.options())) {
            for (int n = 0; n < 10; n++) {
                append(journal, n);
            }
            firstId = journal.beginSnapshot();
            for (int n = 100; n < 103; n++) {
                append(journal, n);
            }
            SnapshotPosition complete = journal.endSnapshot();
            assertEquals(new SnapshotPosition(firstId, firstId + 4, 3), complete);
            append(journal, 11);
            journal.beginSnapshot();
            append(journal, 200); // the process "dies" here: the second snapshot never ends
            assertEquals(firstId, journal.newestSnapshot().orElseThrow().id());
        }
        try (Journal journal = Journal.open(dir, fixture.options())) {
            assertEquals(firstId, journal.newestSnapshot().orElseThrow().id());
            List<Rec> fromSnapshot;
            try (JournalTailer tailer = journal.tailerFromSnapshot()) {
                fromSnapshot = JournalFixture.drain(tailer);
            }
            List<Short> types = fromSnapshot.stream().map(Rec::type).toList();
            assertEquals(List.of(RecordTypes.SNAPSHOT_BEGIN, JournalFixture.EVENT, JournalFixture.EVENT, JournalFixture.EVENT,
                    RecordTypes.SNAPSHOT_END, JournalFixture.EVENT, RecordTypes.SNAPSHOT_BEGIN, JournalFixture.EVENT,
                    RecordTypes.SNAPSHOT_ABORTED), types, "reopen closes the unfinished run with SNAPSHOT_ABORTED");
            assertEquals(firstId, fromSnapshot.get(0).index());
        }
    }

    @Test
    void withoutASnapshotTheSnapshotTailerReadsFromTheStart() throws Exception {
        try (Journal journal = Journal.open(dir, fixture.options())) {
            long first = append(journal, 0);
            try (JournalTailer tailer = journal.tailerFromSnapshot()) {
                assertEquals(first, JournalFixture.drain(tailer).get(0).index());
            }
        }
    }
}
