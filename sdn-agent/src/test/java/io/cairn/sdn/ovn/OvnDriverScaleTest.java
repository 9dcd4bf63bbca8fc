package io.cairn.sdn.ovn;

import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.RouteTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scale of the ovn driver against a real ovsdb-server: N routes (default 10,000; set
 * -Dcairn.ovn.scale=100000 for the target) applied in one batch and in batches of 1,000,
 * read back, reconciled when converged, and one route changed. Prints the figures; asserts the
 * outcome (every route there exactly once, a converged table has an empty diff).
 */
class OvnDriverScaleTest {

    private static final String ROUTER = "lr-scale";

    @TempDir
    Path dir;

    @Test
    void manyRoutesInOneBatchAndInBatchesOfAThousand() throws Exception {
        NbServer.assumeInstalled();
        int n = Integer.getInteger("cairn.ovn.scale", 10_000);
        RouteTable desired = table(n);
        int rows = desired.routes().values().stream().mapToInt(Set::size).sum();
        try (NbServer server = NbServer.start(dir)) {
            server.nbctl("lr-add", ROUTER);
            // One transaction of 100k rows, or ovsdb-client dumping them, keeps ovsdb-server busy (and
            // silent) for many seconds: long request timeout and echo interval, and the unix socket, on
            // which ovsdb-server sends no inactivity probes (on tcp its 5 s probe can drop a client
            // whose reply waits behind a 30 MB update).
            OvnOptions options = new OvnOptions(server.unix(), ROUTER, OvnOptions.DEFAULT_OWNER, null, Duration.ofMinutes(5),
                    Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofSeconds(10));
            try (OvnDriver driver = new OvnDriver(options)) {
                System.out.printf("%nOVN driver, %d routes (%d rows), ovsdb-server on a unix socket:%n", n, rows);
                long t0 = System.nanoTime();
                driver.apply(1, desired.diffFrom(RouteTable.EMPTY));
                report("apply in one batch", t0);

                t0 = System.nanoTime();
                RouteTable read = driver.read();
                report("read()", t0);
                assertEquals(desired, read);
                assertEquals(rows, server.rowCount("Logical_Router_Static_Route"), "one row per next hop");

                t0 = System.nanoTime();
                RouteDiff converged = desired.diffFrom(driver.read());
                driver.apply(1, converged);
                report("reconcile when converged (read, diff, empty fenced txn)", t0);
                assertTrue(converged.isEmpty());

                IpPrefix first = desired.routes().keySet().iterator().next();
                t0 = System.nanoTime();
                driver.apply(1, new RouteDiff(Map.of(first, Set.of(InetAddress.getByName("10.1.2.99"))), Set.of()));
                report("change one route", t0);

                t0 = System.nanoTime();
                driver.apply(1, RouteTable.EMPTY.diffFrom(driver.read()));
                report("remove all in one batch", t0);
                assertEquals(RouteTable.EMPTY, driver.read());

                t0 = System.nanoTime();
                for (RouteDiff batch : batches(desired, 1_000)) {
                    driver.apply(1, batch);
                }
                report("apply in batches of 1,000 prefixes", t0);
                assertEquals(desired, driver.read());
                assertEquals(rows, server.rowCount("Logical_Router_Static_Route"));
            }
        }
    }

    private static void report(String what, long startNanos) {
        System.out.printf("  %-56s %7d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** n distinct /24s from 10.0.0.0/24 upwards, every other one ECMP over two next hops. */
    private static RouteTable table(int n) throws Exception {
        Map<IpPrefix, Set<InetAddress>> routes = new TreeMap<>();
        InetAddress a = InetAddress.getByName("10.1.2.4");
        InetAddress b = InetAddress.getByName("10.1.2.5");
        for (int i = 0; i < n; i++) {
            int net = (10 << 24) + (i << 8);
            IpPrefix p = new IpPrefix(InetAddress.getByAddress(new byte[] {(byte) (net >>> 24), (byte) (net >>> 16),
                    (byte) (net >>> 8), 0}), 24);
            routes.put(p, i % 2 == 0 ? Set.of(a) : Set.of(a, b));
        }
        return new RouteTable(routes);
    }

    private static List<RouteDiff> batches(RouteTable table, int size) {
        List<RouteDiff> out = new ArrayList<>();
        Map<IpPrefix, Set<InetAddress>> batch = new TreeMap<>();
        for (Map.Entry<IpPrefix, Set<InetAddress>> e : table.routes().entrySet()) {
            batch.put(e.getKey(), e.getValue());
            if (batch.size() == size) {
                out.add(new RouteDiff(batch, Set.of()));
                batch = new TreeMap<>();
            }
        }
        if (!batch.isEmpty()) {
            out.add(new RouteDiff(batch, Set.of()));
        }
        return out;
    }
}
