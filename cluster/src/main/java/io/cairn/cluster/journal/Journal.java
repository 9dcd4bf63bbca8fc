package io.cairn.cluster.journal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only journal of opaque typed records on Chronicle Queue. It knows nothing of BGP: a
 * record is a type (0..32767) and bytes, and gets a long index that only grows. Record format and
 * snapshot markers: {@link RecordFormat}, {@link RecordTypes}.
 *
 * <p><b>One writer.</b> A lock file ({@code writer.lock}) admits one open Journal per directory,
 * across processes and within one; appends come from one thread (the first one that appends).
 * Tailers may be used from any thread, one tailer per thread.
 *
 * <p><b>Opening repairs the tail.</b> Every retained record is read and checked once; the first
 * damage (torn write, checksum mismatch, garbage, a cycle file cut short) and everything after it is
 * moved to {@code quarantine/}, the journal keeps every record before it, and
 * {@link #recoveryReport()} names what was dropped (also logged at ERROR). A record of a newer
 * format version is not damage: open fails with {@link JournalFormatException}.
 *
 * <p><b>When storage fails while running</b> (disk nearly full, directory removed, Chronicle failing
 * to write), {@link #append} throws {@link JournalUnavailableException} and does not append: nothing
 * is silently lost. {@link #healthy()} turns false with {@link #healthReason()}. The node must then
 * stop taking in new routes (do not apply an event that was not journaled: close or hold the
 * sessions that bring them) while keeping every route it already has, raise the alarm in its log
 * and health endpoint, and retry {@link #checkStorage()} periodically: free space coming back makes
 * the journal healthy again; a removed directory or a write failure needs a restart.
 *
 * <p><b>Snapshots bound replay and disk.</b> {@link #beginSnapshot()}, the caller's records,
 * {@link #endSnapshot()}. Ending a snapshot deletes the cycle files before the one holding its
 * SNAPSHOT_BEGIN: a reader that needs a complete state starts from {@link #tailerFromSnapshot()}.
 */
public final class Journal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final int REPAIR_ROUNDS = 4;
    private static final byte[] EMPTY = new byte[0];

    private final Path dir;
    private final JournalOptions options;
    private final WriterLock lock;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final CycleFiles files;
    private final SnapshotTracker snapshots;
    private final RecoveryReport recoveryReport;
    private final long incarnation;
    private final StorageGuard storage;
    private final byte[] header = new byte[RecordFormat.HEADER_LENGTH];
    private byte[] markerPayload = new byte[SnapshotTracker.END_PAYLOAD_LENGTH];
    private final UnsafeBuffer payloadView = new UnsafeBuffer(EMPTY);
    private byte[] copyBuffer = new byte[1024];
    private ExcerptAppender appender;
    private Thread writer;
    private volatile long lastIndex;
    private volatile String writeFailure;
    private volatile String storageProblem;

    private Journal(Path dir, JournalOptions options, WriterLock lock, SingleChronicleQueue queue,
            TailScan.Result scan, RecoveryReport report, long incarnation) throws IOException {
        this.dir = dir;
        this.options = options;
        this.lock = lock;
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.files = new CycleFiles(dir, rollCycle);
        this.snapshots = scan.snapshots();
        this.lastIndex = scan.lastIndex();
        this.recoveryReport = report;
        this.incarnation = incarnation;
        this.storage = new StorageGuard(dir, options);
    }

    /**
     * Opens (creating it if its parent exists) the journal in {@code dir}, repairing a damaged tail.
     *
     * @throws JournalLockedException another writer has it open
     * @throws JournalFormatException it holds records of a newer format
     * @throws JournalOpenException the path is missing, not a directory, not readable or writable
     */
    public static Journal open(Path dir, JournalOptions options) throws JournalOpenException {
        Path directory = usableDirectory(dir.toAbsolutePath().normalize());
        WriterLock lock = WriterLock.acquire(directory);
        try {
            List<DroppedRange> dropped = new ArrayList<>();
            for (int round = 0; round < REPAIR_ROUNDS; round++) {
                SingleChronicleQueue queue = openQueue(directory, options);
                TailScan.Result scan;
                try {
                    scan = TailScan.scan(queue, directory);
                } catch (JournalOpenException | RuntimeException e) {
                    queue.close();
                    throw e;
                }
                if (scan.damage() == null) {
                    long incarnation;
                    try {
                        incarnation = Incarnation.of(directory, !dropped.isEmpty());
                    } catch (IOException e) {
                        queue.close();
                        throw e;
                    }
                    Journal journal = new Journal(directory, options, lock, queue, scan, new RecoveryReport(dropped),
                            incarnation);
                    journal.closeAbandonedSnapshot();
                    LOG.info("journal {} opened: {} records, last index {}, newest complete snapshot {}", directory,
                            scan.records(), RecordFormat.hex(scan.lastIndex()), journal.newestSnapshot().orElse(null));
                    return journal;
                }
                queue.close();
                DroppedRange range = TailRepair.repair(directory, options, scan.damage());
                LOG.error("journal {}: {}", directory, range);
                dropped.add(range);
            }
            throw new JournalOpenException("journal " + directory + " still damaged after " + REPAIR_ROUNDS
                    + " repairs: " + dropped);
        } catch (IOException | RuntimeException e) {
            closeQuietly(lock);
            if (e instanceof JournalOpenException) {
                throw (JournalOpenException) e;
            }
            throw new JournalOpenException("cannot open journal " + directory + ": " + e, e);
        }
    }

    private static Path usableDirectory(Path dir) throws JournalOpenException {
        if (!Files.exists(dir)) {
            Path parent = dir.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new JournalOpenException("journal directory " + dir + " cannot be created: its parent " + parent
                        + " does not exist");
            }
            try {
                Files.createDirectory(dir);
            } catch (IOException e) {
                throw new JournalOpenException("journal directory " + dir + " cannot be created: " + e, e);
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new JournalOpenException("journal path " + dir + " is not a directory");
        }
        if (!Files.isReadable(dir) || !Files.isWritable(dir) || !Files.isExecutable(dir)) {
            throw new JournalOpenException("journal directory " + dir + " is not readable and writable by this process");
        }
        return dir;
    }

    private static SingleChronicleQueue openQueue(Path dir, JournalOptions options) throws JournalOpenException {
        try {
            return ChronicleQueues.open(dir, options);
        } catch (RuntimeException e) {
            throw new JournalOpenException("Chronicle Queue cannot open journal " + dir + ": " + e, e);
        }
    }

    /** A crash in the middle of a snapshot left its run open: close it so readers know where it ends. */
    private void closeAbandonedSnapshot() throws IOException {
        long open = snapshots.openId();
        if (open >= 0) {
            LOG.warn("journal {}: snapshot {} was never completed; marking it aborted", dir, RecordFormat.hex(open));
            abortSnapshot();
            appender.close();
            appender = null;
            writer = null;
        }
    }

    /** Appends {@code bytes[offset, offset+length)} as a record of {@code type}; returns its index. */
    public long append(short type, byte[] bytes, int offset, int length) throws JournalUnavailableException {
        requireCallerType(type);
        return write(type, bytes, offset, length);
    }

    /**
     * Appends a record of {@code type} whose payload is {@code head[0, headLength)} followed by
     * {@code body[offset, offset+length)}, written straight into the queue (no payload is assembled
     * first); returns its index. For a caller that puts a few octets of its own before bytes it was
     * handed.
     */
    public long append(short type, byte[] head, int headLength, byte[] body, int offset, int length)
            throws JournalUnavailableException {
        requireCallerType(type);
        return write(type, head, 0, headLength, body, offset, length);
    }

    /** Appends {@code buffer[offset, offset+length)} as a record of {@code type}; returns its index. */
    public long append(short type, DirectBuffer buffer, int offset, int length) throws JournalUnavailableException {
        requireCallerType(type);
        if (copyBuffer.length < length) {
            copyBuffer = new byte[Math.max(length, 2 * copyBuffer.length)];
        }
        buffer.getBytes(offset, copyBuffer, 0, length);
        return write(type, copyBuffer, 0, length);
    }

    private static void requireCallerType(short type) {
        if (RecordTypes.isMarker(type)) {
            throw new IllegalArgumentException("record type " + type + " is reserved for the journal's markers; use 0..32767");
        }
    }

    /**
     * Starts a snapshot run; returns its id (the index of its SNAPSHOT_BEGIN).
     *
     * @throws IllegalStateException a snapshot is already open
     */
    public long beginSnapshot() throws JournalUnavailableException {
        return beginSnapshot(EMPTY);
    }

    /** As {@link #beginSnapshot()}, with {@code note} as the marker's payload (see {@link RecordTypes}). */
    public long beginSnapshot(byte[] note) throws JournalUnavailableException {
        if (snapshots.openId() >= 0) {
            throw new IllegalStateException("snapshot " + RecordFormat.hex(snapshots.openId()) + " is still open");
        }
        return write(RecordTypes.SNAPSHOT_BEGIN, note, 0, note.length);
    }

    /**
     * Ends the open snapshot, which becomes the newest complete one, and deletes the cycle files it
     * makes unnecessary (those before the cycle of its SNAPSHOT_BEGIN).
     */
    public SnapshotPosition endSnapshot() throws JournalUnavailableException {
        return endSnapshot(EMPTY);
    }

    /** As {@link #endSnapshot()}, with {@code note} after the marker's own fields (see {@link RecordTypes}). */
    public SnapshotPosition endSnapshot(byte[] note) throws JournalUnavailableException {
        long id = requireOpenSnapshot();
        byte[] payload = markerPayload(SnapshotTracker.END_PAYLOAD_LENGTH, note);
        RecordFormat.putLong(payload, 0, id);
        RecordFormat.putLong(payload, 8, snapshots.openRecords());
        write(RecordTypes.SNAPSHOT_END, payload, 0, SnapshotTracker.END_PAYLOAD_LENGTH + note.length);
        SnapshotPosition complete = snapshots.newest();
        deleteCyclesBefore(rollCycle.toCycle(complete.id()));
        return complete;
    }

    /** Gives up the open snapshot: it will never be a starting point. */
    public void abortSnapshot() throws JournalUnavailableException {
        abortSnapshot(EMPTY);
    }

    /** As {@link #abortSnapshot()}, with {@code note} after the marker's own field (see {@link RecordTypes}). */
    public void abortSnapshot(byte[] note) throws JournalUnavailableException {
        long id = requireOpenSnapshot();
        byte[] payload = markerPayload(SnapshotTracker.ABORTED_PAYLOAD_LENGTH, note);
        RecordFormat.putLong(payload, 0, id);
        write(RecordTypes.SNAPSHOT_ABORTED, payload, 0, SnapshotTracker.ABORTED_PAYLOAD_LENGTH + note.length);
    }

    /** A buffer for a marker's {@code fields} bytes followed by {@code note}, which it already holds. */
    private byte[] markerPayload(int fields, byte[] note) {
        if (markerPayload.length < fields + note.length) {
            markerPayload = new byte[fields + note.length];
        }
        System.arraycopy(note, 0, markerPayload, fields, note.length);
        return markerPayload;
    }

    private long requireOpenSnapshot() {
        long id = snapshots.openId();
        if (id < 0) {
            throw new IllegalStateException("no snapshot is open");
        }
        return id;
    }

    private long write(short type, byte[] bytes, int offset, int length) throws JournalUnavailableException {
        return write(type, bytes, offset, length, EMPTY, 0, 0);
    }

    /** Writes a record whose payload is {@code head[headOffset, +headLength)} then {@code body[offset, +length)}. */
    private long write(short type, byte[] head, int headOffset, int headLength, byte[] body, int offset, int length)
            throws JournalUnavailableException {
        requireWriterThread();
        String failure = writeFailure;
        if (failure != null) {
            throw new JournalUnavailableException(failure);
        }
        String problem = storage.problem(RecordFormat.HEADER_LENGTH + headLength + length);
        storageProblem = problem;
        if (problem != null) {
            throw new JournalUnavailableException(problem);
        }
        long index;
        try {
            if (appender == null) {
                appender = queue.createAppender();
            }
            index = writeExcerpt(type, head, headOffset, headLength, body, offset, length);
        } catch (RuntimeException | InternalError e) {
            writeFailure = "writing to journal " + dir + " failed: " + e;
            LOG.error("{}; the journal takes no more records until restarted", writeFailure, e);
            throw new JournalUnavailableException(writeFailure, e);
        }
        // The tracker reads only markers' payloads, which are written in one part (the head).
        payloadView.wrap(head, headOffset, headLength);
        snapshots.accept(index, type, payloadView, 0, headLength);
        lastIndex = index;
        return index;
    }

    private long writeExcerpt(short type, byte[] head, int headOffset, int headLength, byte[] body, int offset,
                              int length) {
        DocumentContext dc = appender.writingDocument();
        try {
            long index = dc.index();
            RecordFormat.writeHeader(header, type, index, head, headOffset, headLength, body, offset, length);
            Bytes<?> out = dc.wire().bytes();
            out.write(header);
            out.write(head, headOffset, headLength);
            out.write(body, offset, length);
            return index;
        } catch (RuntimeException | Error e) {
            dc.rollbackOnClose();
            throw e;
        } finally {
            dc.close();
        }
    }

    private void requireWriterThread() {
        Thread current = Thread.currentThread();
        if (writer == null) {
            writer = current;
        } else if (writer != current) {
            throw new IllegalStateException("journal " + dir + " has one writer thread, " + writer.getName() + "; "
                    + current.getName() + " tried to append");
        }
    }

    private void deleteCyclesBefore(int cycle) {
        try {
            for (Path file : files.before(cycle)) {
                Files.delete(file);
                LOG.debug("journal {}: deleted {}, superseded by a newer snapshot", dir, file.getFileName());
            }
            queue.refreshDirectoryListing();
        } catch (IOException e) {
            LOG.warn("journal {}: cannot delete cycle files superseded by a snapshot (disk use grows): {}", dir, e.toString());
        }
    }

    /** Reads from the oldest retained record. */
    public JournalTailer tailerFromStart() {
        ExcerptTailer tailer = queue.createTailer();
        tailer.toStart();
        return new JournalTailer(tailer);
    }

    /** Reads from the newest complete snapshot's SNAPSHOT_BEGIN, or from the start if there is none. */
    public JournalTailer tailerFromSnapshot() {
        SnapshotPosition newest = snapshots.newest();
        return newest == null ? tailerFromStart() : tailerAt(newest.id());
    }

    /**
     * Reads from the record at {@code index}, or from the next record to be written if
     * {@code index} is one past the last record.
     *
     * @throws IllegalArgumentException the journal holds no such index (deleted or never written)
     */
    public JournalTailer tailerAt(long index) {
        ExcerptTailer tailer = queue.createTailer();
        if (!tailer.moveToIndex(index)) {
            long last = lastIndex;
            if (last >= 0 && index == last + 1 && rollCycle.toCycle(index) == rollCycle.toCycle(last)) {
                tailer.toEnd();
            } else {
                tailer.close();
                throw new IllegalArgumentException("journal " + dir + " holds no record at index " + RecordFormat.hex(index)
                        + " (records " + RecordFormat.hex(queue.firstIndex()) + " to " + RecordFormat.hex(last) + ")");
            }
        }
        return new JournalTailer(tailer);
    }

    /** The index of the last record appended, or -1 if the journal is empty. */
    public long lastIndex() {
        return lastIndex;
    }

    public Optional<SnapshotPosition> newestSnapshot() {
        return Optional.ofNullable(snapshots.newest());
    }

    /**
     * The id of this journal's history: it changes when a tail repair dropped records (the indices
     * that follow are reused with other contents) and is never 0. See {@link Incarnation}.
     */
    public long incarnation() {
        return incarnation;
    }

    /** What opening this journal had to repair. */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /** False once an append could not be made durable; see the class comment for what to do. */
    public boolean healthy() {
        return writeFailure == null && storageProblem == null;
    }

    /** Why the journal is unhealthy, or null. */
    public String healthReason() {
        String failure = writeFailure;
        return failure != null ? failure : storageProblem;
    }

    /** Re-checks the storage now (free space, directory); returns {@link #healthy()}. */
    public boolean checkStorage() {
        storageProblem = storage.checkNow();
        return healthy();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        try {
            if (appender != null) {
                appender.close();
            }
            queue.close();
        } finally {
            lock.close();
        }
    }

    private static void closeQuietly(WriterLock lock) {
        try {
            lock.close();
        } catch (IOException ignored) {
            // the open already failed; that error is the one to report
        }
    }
}
