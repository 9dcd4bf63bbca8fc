package io.cairn.cluster.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalOptions;
import io.cairn.cluster.journal.RecordTypes;
import io.cairn.cluster.replication.Endpoint;
import io.cairn.cluster.replication.JournalSource;
import io.cairn.cluster.replication.ReplicationClient;
import io.cairn.cluster.replication.ReplicationServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication lag at a steady rate of route changes (issue 6's measure; figures printed for
 * bench/RESULTS.md): a writer appends records the size of a BGP UPDATE ({@code cairn.lag.record-bytes})
 * to the origin's journal at {@code cairn.lag.rate} per second for {@code cairn.lag.seconds}, each stamped with
 * the time it was appended; a reader tails the replica as the RIB thread does and takes, per
 * record, the time from the origin's append to the replica read: journal read, framing, TCP,
 * replica append, replica read. Also: CPU and allocation of the replication threads (server
 * and client event loops) and the direct memory they hold.
 */
class ReplicationLagTest {

    private static final int RATE = Integer.getInteger("cairn.lag.rate", 100_000);
    private static final int SECONDS = Integer.getInteger("cairn.lag.seconds", 5);
    /**
     * 120 B: an UPDATE of one prefix, the worst case per route change; an NVA sending a table packs
     * up to ~1,000 IPv4 prefixes in a 4 KB UPDATE (e.g. 100,000 changes/s as 1,000 records/s of 450 B).
     */
    private static final int RECORD_BYTES = Integer.getInteger("cairn.lag.record-bytes", 120);

    @Test
    void everyRecordWrittenAtTheSteadyRateIsReadFromTheReplicaWithItsLagMeasured(@TempDir Path dir) throws Exception {
        int records = RATE * SECONDS;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("cairn-replication-client", true),
                NioIoHandler.newFactory());
        JournalOptions options = JournalOptions.defaults().withBlockSize(16 << 20);
        Files.createDirectory(dir.resolve("b"));
        long[] lagNanos = new long[records];
        try (Journal origin = Journal.open(dir.resolve("a"), options);
                Replicas replicas = Replicas.open(dir.resolve("b"), options);
                ReplicationServer server = new ReplicationServer("a", new JournalSource(origin), null)) {
            InetSocketAddress at = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            AtomicReference<String> problem = new AtomicReference<>("");
            Thread reader = new Thread(() -> read(replicas, lagNanos, problem), "replica-reader");
            long[] replicationCpuBefore = replicationThreads();
            long cpuBefore = processCpuNanos();
            try (ReplicationClient client = new ReplicationClient("b", "a", Endpoint.of(at), replicas.replica("a"),
                    null, group)) {
                client.start();
                reader.start();
                long started = System.nanoTime();
                write(origin, records);
                double writeSeconds = (System.nanoTime() - started) / 1e9;
                reader.join(TimeUnit.MINUTES.toMillis(2));
                assertEquals("", problem.get());
                long[] replicationCpu = replicationThreads();
                double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
                long[] sorted = lagNanos.clone();
                Arrays.sort(sorted);
                System.out.printf("replication lag at %d records/s of %d B for %.1f s (written at %.0f/s): p50 %.2f ms,"
                                + " p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", RATE, RECORD_BYTES, writeSeconds,
                        records / writeSeconds, sorted[records / 2] / 1e6, sorted[(int) (records * 0.99)] / 1e6,
                        sorted[(int) (records * 0.999)] / 1e6, sorted[records - 1] / 1e6);
                // The first second includes the JIT compiling every path of a fresh JVM; a node that
                // has run for a while is in the steady state of the rest.
                long[] steady = Arrays.copyOfRange(lagNanos, Math.min(RATE, records - 1), records);
                Arrays.sort(steady);
                System.out.printf("  after the first second: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        steady[steady.length / 2] / 1e6, steady[(int) (steady.length * 0.99)] / 1e6,
                        steady[steady.length - 1] / 1e6);
                System.out.printf("replication cost: server and client event loops %.2f CPU s (%.0f %% of a core),"
                                + " %.0f B allocated per record; whole process (writer, reader, both journals) %.2f CPU s;"
                                + " direct memory %d KiB%n", (replicationCpu[0] - replicationCpuBefore[0]) / 1e9,
                        100.0 * (replicationCpu[0] - replicationCpuBefore[0]) / 1e9 / writeSeconds,
                        (double) (replicationCpu[1] - replicationCpuBefore[1]) / records, cpuSeconds,
                        directMemoryBytes() / 1024);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        assertEquals(records, Arrays.stream(lagNanos).filter(l -> l > 0).count(), "records read from the replica");
    }

    /** Appends {@code records} at {@link #RATE}, a millisecond's worth at a time, each stamped with its append time. */
    private static void write(Journal origin, int records) throws Exception {
        byte[] record = new byte[RECORD_BYTES];
        java.nio.ByteBuffer stamp = java.nio.ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        long start = System.nanoTime();
        for (int i = 0; i < records; i++) {
            long due = start + (long) i * 1_000_000_000L / RATE;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(Math.min(due - now, 200_000));
            }
            stamp.putInt(0, i).putLong(4, System.nanoTime());
            origin.append((short) 2, record, 0, record.length);
        }
    }

    /** Reads every record from the replica as the RIB thread would, noting each one's lag. */
    private static void read(Replicas replicas, long[] lagNanos, AtomicReference<String> problem) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS + 90L);
        int[] read = {0};
        try (ReplicaTailer tailer = replicas.replica("a").tailerFromSnapshot()) {
            ReplicaRecordHandler handler = new ReplicaRecordHandler() {
                @Override
                public void onStartOver() {
                    problem.set("the replica started over");
                }

                @Override
                public void onRecord(long originIndex, short type, DirectBuffer buffer, int offset, int length) {
                    if (RecordTypes.isMarker(type)) {
                        return;
                    }
                    int i = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
                    lagNanos[i] = System.nanoTime() - buffer.getLong(offset + 4, ByteOrder.LITTLE_ENDIAN);
                    read[0]++;
                }
            };
            while (read[0] < lagNanos.length && System.nanoTime() < deadline) {
                if (tailer.poll(handler, 256) == 0) {
                    LockSupport.parkNanos(50_000);
                }
            }
        } catch (Exception e) {
            problem.set(e.toString());
        }
    }

    /** CPU nanoseconds and bytes allocated so far by the replication event loops (server and client). */
    private static long[] replicationThreads() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long cpu = 0;
        long allocated = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("cairn-replication-")) {
                cpu += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
                allocated += Math.max(0, threads.getThreadAllocatedBytes(t.getThreadId()));
            }
        }
        return new long[] {cpu, allocated};
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long directMemoryBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
