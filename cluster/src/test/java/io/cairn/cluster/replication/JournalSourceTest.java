package io.cairn.cluster.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.testsupport.Await;
import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalOptions;
import io.cairn.cluster.journal.JournalRollCycle;
import io.cairn.cluster.journal.JournalTailer;
import io.cairn.cluster.journal.RecordTypes;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Chronicle journal served to a replica: the same records, resumed, or from its snapshot. */
class JournalSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final short EVENT = 7;

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private Journal journal;
    private ReplicationServer server;
    private InetSocketAddress at;

    @BeforeEach
    void openAndServe() throws Exception {
        journal = Journal.open(dir, JournalOptions.defaults()
                .withRollCycle(JournalRollCycle.SECONDLY_FOR_TESTS, clock::get)
                .withBlockSize(256 << 10)
                .withMinFreeBytes(4L << 20));
        server = new ReplicationServer("a", new JournalSource(journal), null);
        at = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws Exception {
        server.close();
        journal.close();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void append(int from, int to) throws Exception {
        for (int n = from; n < to; n++) {
            byte[] p = ("record " + n + " " + "x".repeat(n % 97)).getBytes(StandardCharsets.US_ASCII);
            journal.append(EVENT, p, 0, p.length);
        }
    }

    /** Pulls until the replica holds the journal's last index, then stops pulling. */
    private void pullUntilCaughtUp(MemoryJournal replica) {
        try (ReplicationClient client = new ReplicationClient("b", "a", Endpoint.of(at), replica, null, clientGroup)) {
            client.start();
            Await.until("the replica to hold index " + journal.lastIndex(), WAIT,
                    () -> replica.lastIndex() == journal.lastIndex());
        }
    }

    /** What a reader of the origin's journal sees from {@code tailer} on. */
    private static List<MemoryJournal.Rec> records(JournalTailer tailer) {
        List<MemoryJournal.Rec> out = new ArrayList<>();
        try (tailer) {
            while (tailer.poll((index, type, buffer, offset, length) -> {
                byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                out.add(new MemoryJournal.Rec(index, type, bytes));
            }, 1) == 1) {
                // drained one
            }
        }
        return out;
    }

    @Test
    void theReplicaHoldsEveryRecordAcrossCyclesAndResumesAfterTheLastOneItHolds() throws Exception {
        append(0, 500);
        clock.addAndGet(1000);
        append(500, 1000);
        MemoryJournal replica = new MemoryJournal();
        pullUntilCaughtUp(replica);

        append(1000, 1100);
        pullUntilCaughtUp(replica);

        assertEquals(records(journal.tailerFromStart()), replica.records(),
                "the replica holds the origin's records, once each, at the origin's indexes");
        assertEquals(1100, replica.records().size());
    }

    @Test
    void aReplicaBehindDeletedCyclesStartsOverFromTheNewestSnapshot() throws Exception {
        append(0, 300);
        MemoryJournal replica = new MemoryJournal();
        pullUntilCaughtUp(replica);
        long held = replica.lastIndex();

        clock.addAndGet(1000);
        append(300, 310);
        clock.addAndGet(1000);
        long snapshot = journal.beginSnapshot();
        append(1000, 1020);
        journal.endSnapshot();
        append(1020, 1025);
        pullUntilCaughtUp(replica);

        List<MemoryJournal.Rec> after = replica.records().stream().filter(r -> r.index() > held).toList();
        assertEquals(snapshot, after.get(0).index(), "the restart begins at the snapshot, not at a deleted record");
        assertEquals(RecordTypes.SNAPSHOT_BEGIN, after.get(0).type());
        assertEquals(records(journal.tailerFromSnapshot()), after);
        assertTrue(after.stream().anyMatch(r -> r.type() == RecordTypes.SNAPSHOT_END));
    }

    @Test
    void theLagCountsRecordsStillToFetchAcrossCycleRolls() throws Exception {
        append(0, 100);
        MemoryJournal replica = new MemoryJournal();
        pullUntilCaughtUp(replica);

        // 250 records in three cycles: their indexes jump by a cycle's whole index range twice.
        append(100, 150);
        clock.addAndGet(1000);
        append(150, 300);
        clock.addAndGet(1000);
        append(300, 350);
        GatedSink gated = new GatedSink(replica);
        try (ReplicationClient client = new ReplicationClient("b", "a", Endpoint.of(at), gated, null, clientGroup)) {
            try {
                client.start();
                Await.until("the subscription", WAIT, () -> client.lag().streaming());
                for (int stored = 0; stored < 250; stored += 25) {
                    assertEquals(250 - stored, client.lag().behind(), "records still to fetch after " + stored);
                    int target = stored + 25;
                    gated.let(25);
                    Await.until(target + " records stored", WAIT, () -> gated.stored() == target);
                }
                Await.until("the lag to read zero", WAIT, () -> client.lag().behind() == 0);
                assertEquals(journal.lastIndex(), replica.lastIndex());
            } finally {
                gated.open(); // before the client closes: its event loop may be waiting in the sink
            }
        }
    }

    /** A replica whose appends each wait for the test to let them through, as a stalled disk would. */
    private static final class GatedSink implements RecordSink {
        private final MemoryJournal replica;
        private final Semaphore permits = new Semaphore(0);
        private final AtomicInteger stored = new AtomicInteger();

        GatedSink(MemoryJournal replica) {
            this.replica = replica;
        }

        void let(int records) {
            permits.release(records);
        }

        /** Lets every record through from now on. */
        void open() {
            permits.release(Integer.MAX_VALUE / 2);
        }

        int stored() {
            return stored.get();
        }

        @Override
        public void append(long index, short type, ByteBuffer payload) {
            try {
                if (!permits.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the test let no record through for " + WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            replica.append(index, type, payload);
            stored.incrementAndGet();
        }

        @Override
        public long lastIndex() {
            return replica.lastIndex();
        }

        @Override
        public long heldIncarnation() {
            return replica.heldIncarnation();
        }

        @Override
        public void startOver(long incarnation) {
            replica.startOver(incarnation);
        }
    }
}
