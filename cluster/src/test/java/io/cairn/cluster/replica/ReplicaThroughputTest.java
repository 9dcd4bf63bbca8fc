package io.cairn.cluster.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.testsupport.Await;
import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalOptions;
import io.cairn.cluster.replication.Endpoint;
import io.cairn.cluster.replication.JournalSource;
import io.cairn.cluster.replication.ReplicationClient;
import io.cairn.cluster.replication.ReplicationServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal to replica journal over loopback, both on disk, with records the size of a small BGP
 * UPDATE; the figure (printed for bench/RESULTS.md) is what the whole path sustains: origin
 * journal read, framing and CRC, TCP, replica journal append with its note.
 */
class ReplicaThroughputTest {

    private static final int RECORDS = Integer.getInteger("cairn.replica.records", 200_000);
    private static final int RECORD_BYTES = 200;

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Test
    void journalToReplicaJournalOverLoopback(@TempDir Path dir) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        JournalOptions options = JournalOptions.defaults().withBlockSize(16 << 20);
        Files.createDirectory(dir.resolve("b"));
        try (Journal origin = Journal.open(dir.resolve("a"), options);
                Replicas replicas = Replicas.open(dir.resolve("b"), options)) {
            byte[] record = new byte[RECORD_BYTES];
            Random random = new Random(1);
            for (int i = 0; i < RECORDS; i++) {
                random.nextBytes(record);
                origin.append((short) 2, record, 0, record.length);
            }
            try (ReplicationServer server = new ReplicationServer("a", new JournalSource(origin), null)) {
                InetSocketAddress at = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                long started = System.nanoTime();
                long cpuStarted = processCpuNanos();
                try (ReplicationClient client = new ReplicationClient("b", "a", Endpoint.of(at), replicas.replica("a"),
                        null, group)) {
                    client.start();
                    Await.until("all " + RECORDS + " records", Duration.ofMinutes(5),
                            () -> replicas.lastIndexes().get("a") == origin.lastIndex());
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
                System.out.printf("journal to replica journal: %d records of %d B in %.2f s: %.0f records/s;"
                        + " %.2f CPU s (both ends): %.0f records per CPU second%n", RECORDS, RECORD_BYTES, seconds,
                        RECORDS / seconds, cpuSeconds, RECORDS / cpuSeconds);
            }
            assertEquals(RECORDS, ReplicaRecords.replicaFromSnapshot(replicas.replica("a")).size());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
