package io.cairn.cluster.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.testsupport.Await;
import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalFixture;
import io.cairn.cluster.replica.ReplicaRecords.Reader;
import io.cairn.cluster.replica.ReplicaRecords.Rec;
import io.cairn.cluster.journal.RecordTypes;
import io.cairn.cluster.replication.Endpoint;
import io.cairn.cluster.replication.JournalSource;
import io.cairn.cluster.replication.RecordSource;
import io.cairn.cluster.replication.ReplicationClient;
import io.cairn.cluster.replication.ReplicationServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica journal filled by a real subscription: an origin {@link Journal} served by a
 * {@link ReplicationServer} over loopback, pulled by a {@link ReplicationClient} into
 * {@link Replicas} on disk, every journal on one-second cycles of a clock the test moves.
 */
class ReplicaJournalTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path dir;
    private final JournalFixture fixture = new JournalFixture();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private Journal origin;
    private ReplicationServer server;
    private InetSocketAddress at;
    private Replicas replicas;
    private ReplicationClient client;
    private int written;

    @BeforeEach
    void serveTheOrigin() throws Exception {
        origin = Journal.open(dir.resolve("a"), fixture.options());
        server = new ReplicationServer("a", new JournalSource(origin), null);
        at = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Files.createDirectory(dir.resolve("b"));
        replicas = Replicas.open(dir.resolve("b"), fixture.options());
    }

    @AfterEach
    void closeAll() throws Exception {
        stopPulling();
        replicas.close();
        server.close();
        origin.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private ReplicaJournal replica() throws IOException {
        return replicas.replica("a");
    }

    private Path replicaDir() {
        return dir.resolve("b").resolve(Replicas.DIRECTORY).resolve("a");
    }

    private void pull() throws IOException {
        client = new ReplicationClient("b", "a", Endpoint.of(at), replica(), null, group);
        client.start();
    }

    private void stopPulling() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /**
     * Restarts the receiving side: the subscription and every replica, reopened from disk.
     * Returns the last origin index the replica held before.
     */
    private long restartReplicas() throws IOException {
        stopPulling();
        long held = replica().lastIndex();
        replicas.close();
        replicas = Replicas.open(dir.resolve("b"), fixture.options());
        return held;
    }

    /** {@code count} more origin records, of five types, each payload naming its record. */
    private void write(int count) throws Exception {
        for (int i = 0; i < count; i++, written++) {
            byte[] payload = JournalFixture.payload(written);
            origin.append((short) (written % 5), payload, 0, payload.length);
        }
    }

    /** A snapshot run of {@code count} records on the origin, which deletes the cycles before it. */
    private void snapshot(int count) throws Exception {
        origin.beginSnapshot();
        write(count);
        origin.endSnapshot();
    }

    private void awaitReplicaHoldsAll() {
        Await.until("the replica to hold origin index " + origin.lastIndex(), WAIT,
                () -> replicas.lastIndexes().getOrDefault("a", RecordSource.NONE) == origin.lastIndex());
    }

    private List<Rec> originFromSnapshot() {
        return ReplicaRecords.originFromSnapshot(origin);
    }

    private List<Rec> replicaFromSnapshot() throws IOException {
        return ReplicaRecords.replicaFromSnapshot(replica());
    }

    @Test
    void recordsArriveInOrderWithTheirTypesAndPayloadsAndSnapshotsAreMirroredWithTheirCycleDeletion() throws Exception {
        write(50);
        pull();
        awaitReplicaHoldsAll();
        assertEquals(originFromSnapshot(), replicaFromSnapshot());
        assertEquals(1, JournalFixture.cycleFiles(replicaDir()).size());

        fixture.nextCycle();
        snapshot(30);
        write(20);
        awaitReplicaHoldsAll();

        List<Rec> replicated = replicaFromSnapshot();
        assertEquals(originFromSnapshot(), replicated, "from the newest snapshot, as the origin has it");
        assertEquals(new Rec(origin.newestSnapshot().orElseThrow().id(), RecordTypes.SNAPSHOT_BEGIN, ""), replicated.get(0));
        assertEquals(RecordTypes.SNAPSHOT_END, replicated.get(31).type());
        assertEquals(1, JournalFixture.cycleFiles(replicaDir()).size(), "the replica deleted the cycle before its snapshot");
        assertEquals(0, replica().generation());
    }

    @Test
    void aRestartOfTheReceivingSideResumesFromTheLastOriginIndexHeldWithoutGapOrDuplicate() throws Exception {
        write(20_000);
        pull();
        Await.until("some records", WAIT, () -> replicas.lastIndexes().get("a") >= 2_000);
        long heldBefore = restartReplicas();
        assertTrue(heldBefore >= 2_000, "held " + heldBefore);
        assertEquals(heldBefore, replica().lastIndex(), "the last origin index held survives the restart");
        write(1_000);

        pull();
        awaitReplicaHoldsAll();
        assertEquals(originFromSnapshot(), replicaFromSnapshot());
        assertEquals(21_000, replicaFromSnapshot().size());
    }

    @Test
    void anOriginThatDeletedTheCyclesAfterTheReplicaMakesItStartOverFromTheOriginsSnapshot() throws Exception {
        write(100);
        pull();
        awaitReplicaHoldsAll();
        stopPulling();
        ReplicaTailer live = replica().tailerFromSnapshot();
        Reader liveReader = new Reader();
        assertEquals(100, liveReader.drain(live).size());

        fixture.nextCycle();
        write(50);
        fixture.nextCycle();
        snapshot(30);
        write(10);
        pull();
        awaitReplicaHoldsAll();

        List<Rec> expected = new ArrayList<>(List.of(ReplicaRecords.START_OVER));
        expected.addAll(originFromSnapshot());
        List<Rec> read = liveReader.drain(live);
        live.close();
        assertEquals(expected, read.subList(100, read.size()), "a live reader is told to rebuild, then gets the new state");
        assertEquals(originFromSnapshot(), replicaFromSnapshot(), "a new reader starts from the new snapshot");
        assertEquals(1, replica().generation());
        assertEquals(1, JournalFixture.cycleFiles(replicaDir()).size(), "the old generation's cycle is gone");
    }

    @Test
    void aCorruptReplicaTailIsRepairedOnOpenAndTheSubscriptionResumesFromWhatIsIntact() throws Exception {
        write(300);
        pull();
        awaitReplicaHoldsAll();
        List<Rec> all = originFromSnapshot();
        restartReplicas();
        replicas.close();
        flipAByteOf(replicaDir(), "record 250 ");

        replicas = Replicas.open(dir.resolve("b"), fixture.options());
        assertFalse(replica().recoveryReport().intact());
        assertEquals(all.get(249).originIndex(), replica().lastIndex(), "resumes after the last intact record");
        pull();
        awaitReplicaHoldsAll();
        assertEquals(all, replicaFromSnapshot());
        assertEquals(0, replica().generation());
    }

    @Test
    void anOriginWhoseRepairedJournalReusesIndicesForOtherRecordsMakesTheReplicaStartOverFromItsSnapshot()
            throws Exception {
        write(300);
        pull();
        awaitReplicaHoldsAll();
        long held = replica().lastIndex();
        long before = origin.incarnation();
        stopPulling();
        server.close();
        origin.close();
        flipAByteOf(dir.resolve("a"), "record 250 ");

        origin = Journal.open(dir.resolve("a"), fixture.options());
        assertFalse(origin.recoveryReport().intact());
        assertNotEquals(before, origin.incarnation(), "a repaired journal is another incarnation");
        // At the indices of the dropped records 250..299 and past them: a snapshot run, then records.
        snapshot(20);
        write(80);
        assertTrue(origin.lastIndex() > held);
        server = new ReplicationServer("a", new JournalSource(origin), null);
        at = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        pull();
        awaitReplicaHoldsAll();
        assertEquals(originFromSnapshot(), replicaFromSnapshot(), "the replica holds the origin's records, not the dropped ones");
        assertEquals(1, replica().generation());

        restartReplicas();
        write(5);
        pull();
        awaitReplicaHoldsAll();
        assertEquals(originFromSnapshot(), replicaFromSnapshot());
        assertEquals(1, replica().generation(), "the incarnation held survives a restart: the replica resumed");
    }

    @Test
    void aReplicaRepairedInsideASnapshotRunStartsOverFromTheOriginsSnapshot() throws Exception {
        write(50);
        snapshot(50);
        write(10);
        pull();
        awaitReplicaHoldsAll();
        restartReplicas();
        replicas.close();
        flipAByteOf(replicaDir(), "record 70 ");

        replicas = Replicas.open(dir.resolve("b"), fixture.options());
        assertFalse(replica().recoveryReport().intact());
        assertEquals(RecordSource.NONE, replica().lastIndex(), "nothing usable: the run it ended in was aborted");
        pull();
        awaitReplicaHoldsAll();
        assertEquals(originFromSnapshot(), replicaFromSnapshot());
        assertEquals(1, replica().generation());
    }

    @Test
    void theNodesOwnJournalReopensIntactBesideItsReplicas() throws Exception {
        write(10);
        pull();
        awaitReplicaHoldsAll();
        stopPulling();
        Path nodeJournal = dir.resolve("b");
        long last;
        try (Journal own = Journal.open(nodeJournal, fixture.options())) {
            byte[] payload = JournalFixture.payload(1);
            last = own.append((short) 1, payload, 0, payload.length);
        }
        try (Journal own = Journal.open(nodeJournal, fixture.options())) {
            assertTrue(own.recoveryReport().intact(), own.recoveryReport().toString());
            assertEquals(last, own.lastIndex());
        }
        assertEquals(origin.lastIndex(), restartReplicas());
        assertEquals(origin.lastIndex(), replica().lastIndex());
    }

    /** Damages the replica's record whose payload starts with {@code text}: one flipped bit. */
    private static void flipAByteOf(Path journalDir, String text) throws IOException {
        List<Path> files = JournalFixture.cycleFiles(journalDir);
        Path file = files.get(files.size() - 1);
        byte[] bytes = Files.readAllBytes(file);
        int at = indexOf(bytes, text.getBytes(StandardCharsets.US_ASCII));
        assertTrue(at >= 0, text + " not found in " + file);
        bytes[at + 2] ^= 0x01;
        Files.write(file, bytes);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
