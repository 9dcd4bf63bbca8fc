package io.cairn.node.journal;

import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalUnavailableException;
import io.cairn.cluster.journal.SnapshotPosition;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.session.SessionListener;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's one writer (DESIGN.md, "event sourced"): sessions hand it what they learned, as
 * {@link BgpRecord}s, through a bounded {@link SessionInbox}; its thread appends them, and only
 * then does the RIB thread, which tails the journal, act on them. Every learned change is thus
 * durable before it takes effect, and a restart replays exactly what the RIB had seen.
 *
 * <p><b>Snapshots</b> bound replay time and disk. Once as many records have been appended since
 * the last snapshot as that snapshot held (and at least {@code minRecordsBetweenSnapshots}), the
 * writer appends SNAPSHOT_BEGIN and holds further appends; the RIB thread, reading that marker,
 * captures its state (which is exactly the journal up to the marker) and hands the capture back
 * ({@link #snapshotCaptured}); the writer appends it and SNAPSHOT_END, and the journal deletes the
 * cycle files the snapshot made unnecessary. The RIB thread never stops; sessions wait only while
 * the capture is written.
 *
 * <p><b>When the journal cannot take a record</b> (disk nearly full, directory gone) the record
 * stays at the head of the inbox, the inbox fills, and sessions stop reading: nothing new takes
 * effect, nothing already learned is dropped, and {@link #problem()} says why (the health
 * endpoint reports it). Storage is re-checked every second; when it recovers, writing resumes
 * where it stopped.
 */
public final class SessionJournal implements SessionListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionJournal.class);

    /** Records in flight from the sessions before they stop reading. */
    static final int INBOX_CAPACITY = 1024;
    private static final int RECORDS_PER_CYCLE = 256;
    private static final byte[] EMPTY = new byte[0];
    private static final long STORAGE_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long the writer waits for the RIB's capture before giving the snapshot up. */
    private static final long CAPTURE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Journal journal;
    private final long minRecordsBetweenSnapshots;
    /** Records the RIB asks for (few: one per stale timer that runs out). */
    private final Queue<BgpRecord> fromRib = new ConcurrentLinkedQueue<>();
    /** A heap buffer whose array starts at its first octet (the journal takes the array). */
    private final ByteBuf payload = Unpooled.buffer(4096);
    /**
     * Woken by every record handed over and by the RIB's captures. It parks on a clock only while
     * it waits for the storage to recover or for a capture that may never come (both re-checked on
     * time); otherwise nothing changes for it without a wake, and an idle writer costs no CPU.
     */
    private final WakeableIdleStrategy idle = new WakeableIdleStrategy();
    private final SessionInbox inbox = new SessionInbox(INBOX_CAPACITY, idle::wake);
    /** {@link #append} as the inbox's handler, made once: a method reference allocates per use. */
    private final Predicate<BgpRecord> appendRecord = this::append;
    private final AgentRunner runner;
    /** Told after each batch of appends (the RIB thread, which tails the journal). */
    private volatile Runnable appendedListener = () -> { };

    // Writer-thread state.
    private long recordsSinceSnapshot;
    private long lastSnapshotRecords;
    private long openSnapshot = -1;
    private long snapshotStartedNanos;
    private long nextStorageCheckNanos;
    private volatile boolean snapshotRequested;
    private volatile CountDownLatch snapshotDone;

    private volatile Capture capture;
    private volatile String problem;
    private volatile long appended;
    private volatile long appendedBytes;
    private volatile long snapshots;
    private volatile long snapshotRecordsAppended;
    private volatile long lastSnapshotPaths;
    private volatile long lastSnapshotMillis;

    /**
     * @param minRecordsBetweenSnapshots the least number of records appended between two snapshots
     *     (a small RIB that churns must not snapshot all the time)
     */
    public SessionJournal(Journal journal, long minRecordsBetweenSnapshots) {
        this.journal = journal;
        this.minRecordsBetweenSnapshots = minRecordsBetweenSnapshots;
        this.runner = new AgentRunner(idle, e -> log.error("journal writer: {}", e.toString(), e), null, new Writer());
        AgentRunner.startOnThread(runner, r -> {
            Thread t = new Thread(r, "journal-writer");
            t.setDaemon(true);
            return t;
        });
    }

    // ---- session events (peer event loops) ----

    @Override
    public void established(Peer peer, OpenMessage local, OpenMessage remote, Negotiated negotiated) {
        submit(peer, BgpRecord.PeerUp.of(peer.address(), peer.name(), local, remote, peer.localAddress()));
    }

    @Override
    public void update(Peer peer, UpdateMessage update) {
        AddressFamily endOfRib = update.endOfRibFamily().orElse(null);
        submit(peer, endOfRib != null ? new BgpRecord.EndOfRib(peer.address(), endOfRib)
                : new BgpRecord.Update(peer.address(), NormalizedUpdate.encode(update)));
    }

    @Override
    public void routeRefresh(Peer peer, RouteRefreshMessage request) {
        submit(peer, new BgpRecord.RouteRefresh(peer.address(), request.family(), request.subtype()));
    }

    @Override
    public void down(Peer peer, String reason, boolean notified) {
        submit(peer, new BgpRecord.PeerDown(peer.address(), reason,
                notified ? BgpRecord.DownKind.NOTIFIED : BgpRecord.DownKind.CONNECTION_LOST));
    }

    private void submit(Peer peer, BgpRecord record) {
        inbox.submit(peer, record);
        idle.wake();
    }

    // ---- from the RIB thread ----

    /** The RIB's stale timer for {@code peer} ran out: journal it, so the RIB (and any replay) acts on it in order. */
    public void stalePathsExpired(InetAddress peer) {
        fromRib.offer(new BgpRecord.StaleExpired(peer));
        idle.wake();
    }

    /**
     * The RIB found the session with {@code peer} up at the end of the replay: it ended with this
     * node's restart, and its paths are kept stale. Journaled as a KEEP_STALE PEER_DOWN ahead of
     * any session's records (the RIB's are appended first), for the members that read this journal.
     */
    public void sessionEndedByRestart(InetAddress peer) {
        fromRib.offer(new BgpRecord.PeerDown(peer, "the node restarted", BgpRecord.DownKind.KEEP_STALE));
        idle.wake();
    }

    /** The RIB's capture for the snapshot whose SNAPSHOT_BEGIN, at {@code beginIndex}, it just read. */
    public void snapshotCaptured(long beginIndex, SnapshotSource source) {
        capture = new Capture(beginIndex, source);
        idle.wake();
    }

    /** {@code listener} (which must not block) is called on the writer's thread after each batch of appends. */
    public void onAppended(Runnable listener) {
        appendedListener = listener;
    }

    private record Capture(long beginIndex, SnapshotSource source) {
    }

    // ---- state (any thread) ----

    /** Why the journal takes no records now, or null when it does. */
    public String problem() {
        return problem;
    }

    /** Records appended, snapshots' included. */
    public long appendedRecords() {
        return appended;
    }

    /** Records appended as part of complete snapshots. */
    public long snapshotRecordsAppended() {
        return snapshotRecordsAppended;
    }

    public long appendedBytes() {
        return appendedBytes;
    }

    public long snapshots() {
        return snapshots;
    }

    /** Paths in the newest snapshot, and how long writing it took. */
    public long lastSnapshotPaths() {
        return lastSnapshotPaths;
    }

    public long lastSnapshotMillis() {
        return lastSnapshotMillis;
    }

    /** Records waiting for the writer. */
    public int queued() {
        return inbox.size();
    }

    /**
     * Takes a snapshot now and waits for it (at most {@code timeoutMillis}); true once it is
     * complete. Used at a clean shutdown, so the next start replays only the snapshot.
     */
    public boolean snapshotNow(long timeoutMillis) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        snapshotDone = done;
        snapshotRequested = true;
        idle.wake();
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops writing: what sessions report after this (a node shutting down closes its own
     * sessions) is not journaled, so a restart finds the routes the node had, as after a crash.
     */
    @Override
    public void close() {
        idle.stop();
        runner.close();
    }

    /** The writer thread's duty cycle. */
    private final class Writer implements Agent {
        @Override
        public int doWork() {
            int work = appendWhatIsDue();
            if (work > 0) {
                // Every append, markers included: the RIB must read a SNAPSHOT_BEGIN to capture.
                appendedListener.run();
            }
            idle.parkTimed(problem != null || openSnapshot >= 0);
            return work;
        }

        private int appendWhatIsDue() {
            if (openSnapshot >= 0) {
                return writeCapture();
            }
            if (problem != null && !storageRecovered()) {
                return 0;
            }
            if (snapshotRequested || recordsSinceSnapshot >= Math.max(minRecordsBetweenSnapshots, lastSnapshotRecords)) {
                snapshotRequested = false;
                beginSnapshot();
                return 1;
            }
            int work = 0;
            BgpRecord r;
            while ((r = fromRib.peek()) != null && append(r)) {
                fromRib.poll();
                work++;
            }
            return work + inbox.drain(appendRecord, RECORDS_PER_CYCLE);
        }

        @Override
        public String roleName() {
            return "journal-writer";
        }
    }

    private boolean storageRecovered() {
        long now = System.nanoTime();
        if (now < nextStorageCheckNanos) {
            return false;
        }
        nextStorageCheckNanos = now + STORAGE_RECHECK_NANOS;
        if (!journal.checkStorage()) {
            return false;
        }
        log.warn("journal {}: writable again; taking routes in again", journal.dir());
        problem = null;
        return true;
    }

    /**
     * Appends one record; false (and the journal marked unavailable) when it could not. An UPDATE's
     * message goes into the journal as the session encoded it, behind the few octets before it.
     */
    private boolean append(BgpRecord record) {
        payload.clear();
        byte[] message = EMPTY;
        if (record instanceof BgpRecord.Update update) {
            BgpRecordCodec.encodeUpdateHead(update, payload);
            message = update.message();
        } else {
            BgpRecordCodec.encode(record, payload);
        }
        try {
            journal.append(record.type(), payload.array(), payload.readableBytes(), message, 0, message.length);
        } catch (JournalUnavailableException e) {
            unavailable(e);
            return false;
        }
        appended++;
        appendedBytes += payload.readableBytes() + message.length;
        recordsSinceSnapshot++;
        return true;
    }

    private void unavailable(JournalUnavailableException e) {
        if (problem == null) {
            log.error("journal unavailable, no new routes are taken in (the sessions are held, every route "
                    + "learned so far stays): {}", e.getMessage());
        }
        problem = "journal unavailable: " + e.getMessage();
        nextStorageCheckNanos = System.nanoTime() + STORAGE_RECHECK_NANOS;
    }

    private void beginSnapshot() {
        try {
            capture = null;
            openSnapshot = journal.beginSnapshot();
            snapshotStartedNanos = System.nanoTime();
        } catch (JournalUnavailableException e) {
            unavailable(e);
            finishSnapshot(false);
        }
    }

    private int writeCapture() {
        Capture c = capture;
        if (c == null || c.beginIndex() != openSnapshot) {
            if (System.nanoTime() - snapshotStartedNanos > CAPTURE_TIMEOUT_NANOS) {
                log.warn("journal {}: the RIB did not capture snapshot {} within {} s; giving it up", journal.dir(),
                        Long.toHexString(openSnapshot), TimeUnit.NANOSECONDS.toSeconds(CAPTURE_TIMEOUT_NANOS));
                abortSnapshot();
            }
            return 0;
        }
        capture = null;
        SnapshotSource source = c.source();
        long before = appended;
        if (!source.writeTo(this::append)) {
            abortSnapshot();
            return 1;
        }
        try {
            SnapshotPosition done = journal.endSnapshot();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - snapshotStartedNanos);
            lastSnapshotRecords = appended - before;
            snapshotRecordsAppended += lastSnapshotRecords;
            lastSnapshotPaths = source.paths();
            lastSnapshotMillis = millis;
            snapshots++;
            log.info("journal {}: snapshot {} of {} paths in {} records, {} ms", journal.dir(),
                    Long.toHexString(done.id()), source.paths(), lastSnapshotRecords, millis);
            finishSnapshot(true);
        } catch (JournalUnavailableException e) {
            unavailable(e);
            finishSnapshot(false);
        }
        return 1;
    }

    private void abortSnapshot() {
        try {
            journal.abortSnapshot();
        } catch (JournalUnavailableException e) {
            unavailable(e); // Journal.open marks the run aborted if this never lands
        }
        finishSnapshot(false);
    }

    private void finishSnapshot(boolean complete) {
        openSnapshot = -1;
        recordsSinceSnapshot = 0;
        CountDownLatch done = snapshotDone;
        if (complete && done != null) {
            snapshotDone = null;
            done.countDown();
        }
    }
}
