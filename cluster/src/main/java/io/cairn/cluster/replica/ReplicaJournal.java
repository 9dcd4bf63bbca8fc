package io.cairn.cluster.replica;

import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalOpenException;
import io.cairn.cluster.journal.JournalOptions;
import io.cairn.cluster.journal.JournalTailer;
import io.cairn.cluster.journal.JournalUnavailableException;
import io.cairn.cluster.journal.RecordTypes;
import io.cairn.cluster.journal.RecoveryReport;
import io.cairn.cluster.replication.RecordSink;
import io.cairn.cluster.replication.RecordSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's copy of one origin's journal: a {@link Journal} of its own whose records carry the
 * origin's index and a generation in a {@link ReplicaNote}.
 *
 * <p><b>Snapshots are mirrored.</b> The origin's SNAPSHOT_BEGIN..END runs become the replica's own
 * runs, so the replica has snapshots to start a reader from and deletes its superseded cycles as the
 * origin does: its disk use is bounded the same way. A run the origin ended inconsistently (END not
 * matching what was mirrored) is aborted here and never becomes a starting point.
 *
 * <p><b>Starting over.</b> When the origin no longer holds what follows the last record here (this
 * node fell behind past a newer snapshot, or the origin's journal was replaced), the subscription
 * restarts from the origin's latest snapshot and {@link #startOver} opens a new generation: the
 * records that follow replace everything before. They are appended to the same journal, never
 * mixed in silently: a reader sees the generation change ({@link ReplicaRecordHandler#onStartOver})
 * exactly where it happens, and the old generation's cycles go once the new snapshot run is
 * complete (if the origin has no snapshot yet, it replays from its first record and the old
 * generation stays on disk until the origin's first snapshot is mirrored). A crash in the middle of a snapshot run (or a repaired tail that ends inside one)
 * also starts over on the next open: resuming inside a run that the reopened journal aborted would
 * leave the replica with no usable snapshot of that state.
 *
 * <p>Threads: appends come from one thread (the subscription's event loop); {@link #lastIndex()}
 * and {@link #generation()} from any; tailers as {@link JournalTailer}s.
 */
public final class ReplicaJournal implements RecordSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaJournal.class);
    private static final long NONE = RecordSource.NONE;

    /**
     * Beside the replica's cycles: "GENERATION INCARNATION", the origin journal's incarnation that
     * the records of that generation belong to. Written before the generation's first record: if
     * it names another generation than the last record's, the incarnation is unknown and the next
     * subscription starts over (the safe side).
     */
    static final String INCARNATION_FILE = "origin-incarnation";

    private final String origin;
    private final Path dir;
    private final Journal journal;
    /** The record being stored: the origin's payload, then the note. */
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[1024]);
    private volatile long lastOriginIndex;
    private volatile long generation;
    /** The origin's incarnation the records held belong to; 0 when unknown. */
    private volatile long incarnation;
    /** The next record opens generation + 1. */
    private boolean startingOver;
    /** The next record is the first of an incarnation of the origin: {@link #nextIncarnation}. */
    private boolean incarnationDue;
    private long nextIncarnation;
    /** The origin index of the BEGIN of the run being mirrored, or NONE. */
    private long openRun = NONE;
    private long openRunRecords;

    private ReplicaJournal(String origin, Path dir, Journal journal) {
        this.origin = origin;
        this.dir = dir;
        this.journal = journal;
    }

    /** Opens (creating it) the replica of {@code origin} in {@code dir}, repairing a damaged tail. */
    public static ReplicaJournal open(String origin, Path dir, JournalOptions options) throws JournalOpenException {
        Journal journal = Journal.open(dir, options);
        ReplicaJournal replica = new ReplicaJournal(origin, dir, journal);
        try {
            replica.findPosition();
            replica.incarnation = replica.startingOver ? 0 : replica.readIncarnation();
        } catch (IOException | RuntimeException e) {
            closeQuietly(journal);
            throw new JournalOpenException("replica of " + origin + " in " + dir + ": " + e.getMessage(), e);
        }
        return replica;
    }

    /** Where the last intact record leaves the replica: its note, or a start-over. */
    private void findPosition() {
        lastOriginIndex = NONE;
        long last = journal.lastIndex();
        if (last < 0) {
            return;
        }
        Noted tail = noted(last);
        if (tail.note != null) {
            lastOriginIndex = tail.note.originIndex();
            generation = tail.note.generation();
            LOG.info("replica of {}: holds up to origin index {} (generation {})", origin, lastOriginIndex, generation);
            return;
        }
        // The journal closed a snapshot run left open: its BEGIN (the ABORTED's payload) has a note.
        generation = noted(tail.abortedRun).note.generation();
        startingOver = true;
        LOG.warn("replica of {}: ended inside a snapshot run (crash or repaired tail); starting over from the"
                + " origin's latest snapshot", origin);
    }

    /** The incarnation noted for the current generation, or 0 when none is (or another generation's is). */
    private long readIncarnation() throws IOException {
        Path file = dir.resolve(INCARNATION_FILE);
        if (lastOriginIndex == NONE || !Files.exists(file)) {
            return 0;
        }
        String[] fields = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
        try {
            return fields.length == 2 && Long.parseLong(fields[0]) == generation ? Long.parseUnsignedLong(fields[1], 16) : 0;
        } catch (NumberFormatException e) {
            LOG.warn("replica of {}: {} is unreadable ({}); starting over from the origin's latest snapshot", origin,
                    file, e.getMessage());
            return 0;
        }
    }

    private void writeIncarnation(long ofGeneration) throws IOException {
        Path temp = dir.resolve(INCARNATION_FILE + ".tmp");
        Files.writeString(temp, ofGeneration + " " + Long.toHexString(nextIncarnation) + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, dir.resolve(INCARNATION_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private record Noted(ReplicaNote note, long abortedRun) {
    }

    private Noted noted(long index) {
        AtomicReference<Noted> found = new AtomicReference<>();
        try (JournalTailer tailer = journal.tailerAt(index)) {
            tailer.poll((i, type, buffer, offset, length) -> {
                ReplicaNote note = ReplicaNote.of(type, buffer, offset, length);
                found.set(new Noted(note, note == null ? buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) : NONE));
            }, 1);
        }
        if (found.get() == null) {
            throw new IllegalStateException("record " + index + " cannot be read");
        }
        return found.get();
    }

    public String origin() {
        return origin;
    }

    /** The origin index of the last record held, or NONE (also while starting over). Any thread. */
    @Override
    public long lastIndex() {
        return lastOriginIndex;
    }

    @Override
    public long heldIncarnation() {
        return incarnation;
    }

    /** The generation of the last record held; a reader seeing it change rebuilds. Any thread. */
    public long generation() {
        return generation;
    }

    /** What the journal repaired on open: empty when the replica was intact. */
    public RecoveryReport recoveryReport() {
        return journal.recoveryReport();
    }

    /**
     * Reads from the newest complete snapshot mirrored (from the first record if none): where a
     * reader that holds nothing of this origin yet starts.
     */
    public ReplicaTailer tailerFromSnapshot() {
        return new ReplicaTailer(journal.tailerFromSnapshot());
    }

    @Override
    public void startOver(long originIncarnation) {
        try {
            abortOpenRun(lastOriginIndex);
        } catch (JournalUnavailableException e) {
            throw new UncheckedIOException(e);
        }
        incarnationDue = true;
        nextIncarnation = originIncarnation;
        incarnation = 0;
        if (journal.lastIndex() < 0) {
            return; // a new replica: its first generation is this one
        }
        startingOver = true;
        lastOriginIndex = NONE;
        LOG.warn("replica of {}: the origin no longer holds what follows; starting over from its latest snapshot"
                + " (generation {} replaces {})", origin, generation + 1, generation);
    }

    /**
     * Stores one origin record. A journal failure (disk full, ...) is thrown as an
     * {@link UncheckedIOException}: the record is not stored, and the subscription, which resumes
     * from {@link #lastIndex()}, fetches it again.
     */
    @Override
    public void append(long index, short type, ByteBuffer payload) {
        if (incarnationDue) {
            long opening = startingOver ? generation + 1 : generation;
            try {
                writeIncarnation(opening);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            generation = opening;
            startingOver = false;
            incarnationDue = false;
            incarnation = nextIncarnation;
        } else if (startingOver) {
            generation++;
            startingOver = false;
        }
        try {
            switch (type) {
                case RecordTypes.SNAPSHOT_BEGIN -> begin(index);
                case RecordTypes.SNAPSHOT_END -> end(index, payload);
                case RecordTypes.SNAPSHOT_ABORTED -> abortOpenRun(index);
                default -> store(index, type, payload);
            }
        } catch (JournalUnavailableException e) {
            throw new UncheckedIOException(e);
        }
        lastOriginIndex = index;
    }

    private void begin(long index) throws JournalUnavailableException {
        // Noted with the last index held, not this BEGIN's: resuming must fetch the BEGIN again.
        abortOpenRun(lastOriginIndex);
        journal.beginSnapshot(note(index));
        openRun = index;
        openRunRecords = 0;
    }

    /** Completes the run if the origin's END (its BEGIN's index, its record count) matches what was mirrored. */
    private void end(long index, ByteBuffer payload) throws JournalUnavailableException {
        if (openRun == NONE) {
            LOG.warn("replica of {}: SNAPSHOT_END at origin index {} ends no run mirrored here; ignored", origin, index);
            return;
        }
        ByteBuffer fields = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        boolean matches = fields.remaining() >= 16 && fields.getLong(fields.position()) == openRun
                && fields.getLong(fields.position() + 8) == openRunRecords;
        if (matches) {
            journal.endSnapshot(note(index));
            openRun = NONE;
        } else {
            LOG.warn("replica of {}: the origin's snapshot {} ended inconsistently; aborted here", origin, openRun);
            abortOpenRun(index);
        }
    }

    private void abortOpenRun(long index) throws JournalUnavailableException {
        if (openRun != NONE) {
            journal.abortSnapshot(note(index));
            openRun = NONE;
        }
    }

    private void store(long index, short type, ByteBuffer payload) throws JournalUnavailableException {
        if (RecordTypes.isMarker(type)) {
            throw new IllegalArgumentException("origin " + origin + " sent marker type " + type
                    + ", which this version does not know");
        }
        int length = payload.remaining();
        if (record.capacity() < length + ReplicaNote.LENGTH) {
            record.wrap(new byte[Math.max(length + ReplicaNote.LENGTH, 2 * record.capacity())]);
        }
        record.putBytes(0, payload, payload.position(), length);
        ReplicaNote.write(record, length, index, generation);
        journal.append(type, record.byteArray(), 0, length + ReplicaNote.LENGTH);
        if (openRun != NONE) {
            openRunRecords++;
        }
    }

    private byte[] note(long originIndex) {
        return new ReplicaNote(originIndex, generation).bytes();
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }

    private static void closeQuietly(Journal journal) {
        try {
            journal.close();
        } catch (IOException ignored) {
            // the open already failed; that error is the one to report
        }
    }
}
