package io.cairn.cluster.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.testsupport.Await;
import io.cairn.cluster.membership.Member;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Journal replication between a server and clients over loopback, with in-memory journals. */
class ReplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /** {@code count} records of 0..2047 random bytes and random types, reproducibly. */
    private static MemoryJournal journalOf(int count) {
        MemoryJournal journal = new MemoryJournal();
        appendRandom(journal, count, new Random(count));
        return journal;
    }

    private static void appendRandom(MemoryJournal journal, int count, Random random) {
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[random.nextInt(2048)];
            random.nextBytes(bytes);
            journal.append((short) random.nextInt(16), bytes);
        }
    }

    private InetSocketAddress serve(String origin, RecordSource source, SslContext ssl) throws InterruptedException {
        return keep(new ReplicationServer(origin, source, ssl)).start(ANY_LOOPBACK_PORT);
    }

    private ReplicationClient pull(String origin, InetSocketAddress at, RecordSink sink, SslContext ssl) {
        ReplicationClient client = keep(new ReplicationClient("b", origin, Endpoint.of(at), sink, ssl, clientGroup));
        client.start();
        return client;
    }

    private static void awaitCopy(MemoryJournal origin, MemoryJournal replica) {
        Await.until("the replica to hold index " + origin.lastIndex(), WAIT,
                () -> replica.lastIndex() == origin.lastIndex());
        assertSameRecords(origin.records(), replica.records());
    }

    /** Equal lists, or the first difference (the lists are too long to print). */
    private static void assertSameRecords(List<MemoryJournal.Rec> expected, List<MemoryJournal.Rec> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), "record at position " + i);
        }
        assertEquals(expected.size(), actual.size(), "number of records");
    }

    /** A replica that takes {@code nanos} per record, like a disk that cannot keep up. */
    private static RecordSink slow(RecordSink sink, long nanos) {
        return new RecordSink() {
            @Override
            public long lastIndex() {
                return sink.lastIndex();
            }

            @Override
            public void append(long index, short type, ByteBuffer payload) {
                LockSupport.parkNanos(nanos);
                sink.append(index, type, payload);
            }

            @Override
            public void startOver(long incarnation) {
                sink.startOver(incarnation);
            }

            @Override
            public long heldIncarnation() {
                return sink.heldIncarnation();
            }
        };
    }

    @Test
    void aHundredThousandRecordsArriveInOrderWithIdenticalBytesIncludingLiveOnes() throws Exception {
        MemoryJournal origin = journalOf(50_000);
        MemoryJournal replica = new MemoryJournal();
        ReplicationClient client = pull("a", serve("a", origin, null), replica, null);

        appendRandom(origin, 50_000, new Random(7));
        awaitCopy(origin, replica);
        assertEquals(100_000, replica.records().size());
        Await.until("the lag to read zero", WAIT, () -> client.lag().behind() == 0 && client.lag().streaming());
        assertEquals(new OriginLag("a", 100_000, 100_000, 0, true), client.lag());
        assertEquals(1, client.sessions());
    }

    @Test
    void aServerRestartMidStreamResumesWithoutGapOrDuplicate() throws Exception {
        MemoryJournal origin = journalOf(40_000);
        MemoryJournal replica = new MemoryJournal();
        ReplicationServer first = new ReplicationServer("a", origin, null);
        InetSocketAddress at = first.start(ANY_LOOPBACK_PORT);
        ReplicationClient client = pull("a", at, slow(replica, 10_000), null);

        Await.until("some records", WAIT, () -> replica.lastIndex() >= 10_000);
        first.close();
        long heldAtRestart = replica.lastIndex();
        assertTrue(heldAtRestart < origin.lastIndex(), "stopped mid-stream at " + heldAtRestart);
        keep(new ReplicationServer("a", origin, null)).start(at);

        awaitCopy(origin, replica);
        assertEquals(2, client.sessions());
    }

    @Test
    void aCorruptFrameDropsTheConnectionAndTheStreamResumesIntact() throws Exception {
        MemoryJournal origin = journalOf(100_000);
        MemoryJournal replica = new MemoryJournal();
        ReplicationServer server = keep(new ReplicationServer("a", origin, null));
        AtomicBoolean corrupted = new AtomicBoolean();
        server.tapFrames((frame, start, index) -> {
            if (index == 50_000 && corrupted.compareAndSet(false, true)) {
                // The last byte of the frame: payload (or its type when empty), after the CRC.
                int last = frame.writerIndex() - 1;
                frame.setByte(last, frame.getByte(last) ^ 0x40);
            }
        });
        ReplicationClient client = pull("a", server.start(ANY_LOOPBACK_PORT), replica, null);

        awaitCopy(origin, replica);
        assertTrue(corrupted.get());
        assertEquals(2, client.sessions(), "one reconnect after the corrupt frame");
        assertTrue(client.lastFailure().contains("CRC-32C"), client.lastFailure());
    }

    @Test
    void aSubscriberBehindTheOldestKeptRecordStartsFromTheLatestSnapshot() throws Exception {
        MemoryJournal origin = journalOf(1_000);
        MemoryJournal replica = new MemoryJournal();
        for (MemoryJournal.Rec r : origin.records().subList(0, 100)) {
            replica.append(r.index(), r.type(), ByteBuffer.wrap(r.bytes()));
        }
        origin.snapshotAt(600);

        pull("a", serve("a", origin, null), replica, null);

        Await.until("the replica to catch up", WAIT, () -> replica.lastIndex() == 1_000);
        List<MemoryJournal.Rec> held = replica.records();
        assertEquals(600, held.get(0).index(), "the replica started over at the snapshot");
        assertSameRecords(origin.records(), held);
    }

    @Test
    void tlsWithATrustedClientCertificateReplicatesAndAnUntrustedOneIsRefused(@TempDir Path dir) throws Exception {
        TestCertificates certs = new TestCertificates(dir);
        Path ca = certs.ca("cairn-ca");
        Path otherCa = certs.ca("other-ca");
        ReplicationTls serverTls = certs.node("a", "cairn-ca", ca);
        ReplicationTls trusted = certs.node("b", "cairn-ca", ca);
        // Signed by a CA the server does not trust, though it trusts the server's CA itself.
        ReplicationTls stranger = certs.node("m", "other-ca", otherCa);
        ReplicationTls strangerTrustingUs = new ReplicationTls(stranger.certificate(), stranger.key(), ca);

        MemoryJournal origin = journalOf(1_000);
        InetSocketAddress at = serve("a", origin, serverTls.serverContext());

        MemoryJournal refused = new MemoryJournal();
        ReplicationClient rejected = pull("a", at, refused, strangerTrustingUs.clientContext());
        MemoryJournal replica = new MemoryJournal();
        pull("a", at, replica, trusted.clientContext());

        awaitCopy(origin, replica);
        Await.until("the untrusted client's failure", WAIT, () -> !rejected.lastFailure().isEmpty());
        assertTrue(rejected.lastFailure().contains("SSL"), rejected.lastFailure());
        assertEquals(0, rejected.sessions());
        assertEquals(RecordSource.NONE, refused.lastIndex());
    }

    @Test
    void tlsRefusesAnOriginWhoseCertificateNamesAnotherAddressThanTheOneDialled(@TempDir Path dir) throws Exception {
        TestCertificates certs = new TestCertificates(dir);
        Path ca = certs.ca("cairn-ca");
        // Signed by the CA both trust, but issued to another member's address.
        ReplicationTls elsewhere = certs.node("a", "cairn-ca", ca, "ip:127.0.0.2");
        ReplicationTls subscriber = certs.node("b", "cairn-ca", ca);
        InetSocketAddress at = serve("a", journalOf(10), elsewhere.serverContext());

        MemoryJournal replica = new MemoryJournal();
        ReplicationClient client = pull("a", at, replica, subscriber.clientContext());

        Await.until("the subscriber's failure", WAIT, () -> !client.lastFailure().isEmpty());
        assertTrue(client.lastFailure().contains("subject alternative names matching IP address 127.0.0.1"),
                client.lastFailure());
        assertEquals(0, client.sessions());
        assertEquals(RecordSource.NONE, replica.lastIndex());
    }

    @Test
    void aSlowReplicaKeepsTheServersMemoryBounded() throws Exception {
        MemoryJournal origin = new MemoryJournal();
        byte[] kilobyte = new byte[1024];
        for (int i = 0; i < 30_000; i++) {
            origin.append((short) 1, kilobyte);
        }
        ReplicationServer server = keep(new ReplicationServer("a", origin, null));
        MemoryJournal replica = new MemoryJournal();
        pull("a", server.start(ANY_LOOPBACK_PORT), slow(replica, 50_000), null);

        long bound = ReplicationServer.WATER_MARK.high() + Subscription.BATCH_BYTES + 2 * 1024;
        long most = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (replica.lastIndex() < origin.lastIndex() && System.nanoTime() < deadline) {
            most = Math.max(most, server.pendingOutboundBytes());
            LockSupport.parkNanos(200_000);
        }
        awaitCopy(origin, replica);
        assertTrue(most <= bound, "at most " + bound + " bytes queued, saw " + most);
        assertTrue(most >= ReplicationServer.WATER_MARK.low(), "the replica was slow enough to fill the queue: " + most);
    }

    @Test
    void aSubscriberSpeakingAnotherProtocolVersionIsToldWhyAndDisconnected() throws Exception {
        InetSocketAddress at = serve("a", journalOf(10), null);
        ByteBuf hello = Unpooled.buffer();
        int start = Frames.begin(hello);
        hello.writeByte(Protocol.HELLO).writeInt(Protocol.MAGIC).writeShort(Protocol.VERSION + 1).writeLong(-1);
        hello.writeShort(6).writeBytes("future".getBytes(StandardCharsets.UTF_8));
        Frames.finish(hello, start);

        try (Socket socket = new Socket(at.getAddress(), at.getPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(ByteBufUtil.getBytes(hello));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            ByteBuf body = Unpooled.wrappedBuffer(frame).skipBytes(4);
            assertEquals(Protocol.REFUSED, body.readByte());
            assertEquals("protocol version " + (Protocol.VERSION + 1) + " is not supported; a speaks " + Protocol.VERSION,
                    Protocol.readString(body));
            assertEquals(-1, in.read(), "the origin closes after refusing");
        }
    }

    @Test
    void theManagerPullsMembersThatJoinAndStopsPullingThoseThatLeave() throws Exception {
        MemoryJournal originA = journalOf(100);
        InetSocketAddress atA = serve("a", originA, null);
        MemoryJournal replicaOfA = new MemoryJournal();
        ReplicationManager manager = keep(new ReplicationManager("b", origin -> replicaOfA, null, 1));

        manager.joined(new Member("b", "127.0.0.1:1"));
        assertTrue(manager.lag().isEmpty(), "a node never pulls itself");
        manager.joined(new Member("a", Endpoint.of(atA).toString()));
        awaitCopy(originA, replicaOfA);
        Await.until("lag zero for a", WAIT, () -> manager.lag().get("a").behind() == 0);

        manager.left(new Member("a", Endpoint.of(atA).toString()));
        assertTrue(manager.lag().isEmpty());
        appendRandom(originA, 10, new Random(1));
        manager.joined(new Member("a", Endpoint.of(atA).toString()));
        awaitCopy(originA, replicaOfA);
    }
}
