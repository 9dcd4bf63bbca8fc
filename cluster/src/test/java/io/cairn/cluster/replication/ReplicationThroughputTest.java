package io.cairn.cluster.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.testsupport.Await;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Replication throughput over loopback with 1 KiB records, printed for bench/RESULTS.md. The
 * source makes records on the fly and the sink checks and counts them, so the figure is the
 * protocol's (framing, CRC, Netty, TCP), not an in-memory journal's.
 */
class ReplicationThroughputTest {

    private static final int RECORDS = Integer.getInteger("cairn.replication.records", 500_000);
    private static final int RECORD_BYTES = 1024;

    /** Records 1..RECORDS, each 1 KiB starting with its own index. */
    private static final class GeneratedSource implements RecordSource {
        @Override
        public Cursor readAfter(long index) {
            return new Cursor() {
                private final ByteBuffer record = ByteBuffer.allocateDirect(RECORD_BYTES);
                private long next = index + 1 == 0 ? 1 : index + 1;

                @Override
                public boolean poll(RecordHandler handler) {
                    if (next > RECORDS) {
                        return false;
                    }
                    record.clear().putLong(0, next);
                    handler.onRecord(next, (short) 1, record);
                    next++;
                    return true;
                }

                @Override
                public long remaining(long lastIndex) {
                    return Math.max(0, Math.min(lastIndex, RECORDS) - next + 1);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Cursor readFromLatestSnapshot() {
            return readAfter(NONE);
        }

        @Override
        public long lastIndex() {
            return RECORDS;
        }

        @Override
        public long incarnation() {
            return 1;
        }
    }

    /** Counts records, failing on any out of order, misaddressed or cut short. */
    private static final class CheckingSink implements RecordSink {
        private volatile long last = RecordSource.NONE;
        private volatile String problem = "";
        private volatile long held;

        @Override
        public long lastIndex() {
            return last;
        }

        @Override
        public void append(long index, short type, ByteBuffer payload) {
            long expected = last == RecordSource.NONE ? 1 : last + 1;
            if (index != expected || payload.remaining() != RECORD_BYTES || payload.getLong(payload.position()) != index) {
                problem = "record " + index + " (" + payload.remaining() + " bytes) where " + expected + " was due";
            }
            last = index;
        }

        @Override
        public void startOver(long incarnation) {
            if (last != RecordSource.NONE) {
                problem = "started over: the generated source holds every record";
            }
            held = incarnation;
        }

        @Override
        public long heldIncarnation() {
            return held;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Test
    void loopbackThroughputWithOneKibibyteRecords() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ReplicationServer server = new ReplicationServer("a", new GeneratedSource(), null)) {
            InetSocketAddress at = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CheckingSink sink = new CheckingSink();
            long started = System.nanoTime();
            long cpuStarted = processCpuNanos();
            try (ReplicationClient client = new ReplicationClient("b", "a", Endpoint.of(at), sink, null, group)) {
                client.start();
                Await.until("all " + RECORDS + " records", Duration.ofMinutes(5), () -> sink.lastIndex() == RECORDS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
            assertEquals("", sink.problem);
            // On a shared machine wall time depends on the neighbours; CPU time per record less so.
            System.out.printf("replication throughput: %d records of %d B in %.2f s: %.0f records/s, %.1f MB/s;"
                    + " %.2f CPU s (both ends): %.0f records per CPU second%n", RECORDS, RECORD_BYTES, seconds,
                    RECORDS / seconds, RECORDS * (double) RECORD_BYTES / seconds / 1e6, cpuSeconds, RECORDS / cpuSeconds);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
