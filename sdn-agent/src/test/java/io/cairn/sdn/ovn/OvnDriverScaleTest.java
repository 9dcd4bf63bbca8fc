package io.cairn.sdn.ovn;

import io.cairn.sdn.BatchProgress;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.Reconciler;
import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnHealth;
import io.cairn.sdn.SdnHealth.State;
import io.cairn.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
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
 * -Dcairn.ovn.scale=100000 for the target), every other one ECMP over two next hops
 * (-Dcairn.ovn.ecmp=false: one next hop each, so one row per route).
 * The driver alone: applied in one batch and in pipelined batches of 1,000, read back, reconciled when
 * converged, one route changed. Through the {@link Reconciler} with its default batch size: the
 * full sync, a converged resync (twice: the first one after a bulk write also sorts what the
 * replica learned) and a one-route change; -Dcairn.ovn.batch=N overrides the batch size. Prints wall time with the CPU time of
 * ovsdb-server and of this JVM for each step (figures for bench/RESULTS.md); asserts the outcome
 * (every route there exactly once, a converged table writes nothing, a change writes one batch).
 */
class OvnDriverScaleTest {

    private static final String ROUTER = "lr-scale";
    private static final Duration WAIT = Duration.ofMinutes(5);

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
            try (OvnDriver driver = new OvnDriver(options(server))) {
                System.out.printf("%nOVN driver, %d routes (%d rows), ovsdb-server on a unix socket:%n", n, rows);
                Step step = new Step(server);
                driver.apply(1, desired.diffFrom(RouteTable.EMPTY));
                step.report("apply in one batch");

                step = new Step(server);
                RouteTable read = driver.read();
                step.report("read()");
                assertEquals(desired, read);
                assertEquals(rows, server.rowCount("Logical_Router_Static_Route"), "one row per next hop");

                step = new Step(server);
                RouteDiff converged = desired.diffFrom(driver.read());
                driver.apply(1, converged);
                step.report("reconcile when converged (read, diff, empty fenced txn)");
                assertTrue(converged.isEmpty());

                IpPrefix first = desired.routes().keySet().iterator().next();
                step = new Step(server);
                driver.apply(1, new RouteDiff(Map.of(first, Set.of(InetAddress.getByName("10.1.2.99"))), Set.of()));
                step.report("change one route");

                step = new Step(server);
                driver.apply(1, RouteTable.EMPTY.diffFrom(driver.read()));
                step.report("remove all in one batch");
                assertEquals(RouteTable.EMPTY, driver.read());

                step = new Step(server);
                assertTrue(driver.apply(1, batches(desired, 1_000), BatchProgress.ALL));
                step.report("apply in batches of 1,000 prefixes (pipelined)");
                assertEquals(desired, driver.read());
                assertEquals(rows, server.rowCount("Logical_Router_Static_Route"));
            }
        }
    }

    @Test
    void reconcilerWithDefaultBatches() throws Exception {
        NbServer.assumeInstalled();
        int n = Integer.getInteger("cairn.ovn.scale", 10_000);
        RouteTable desired = table(n);
        Reconciler.Settings defaults = Reconciler.Settings.DEFAULT;
        Reconciler.Settings settings = new Reconciler.Settings(Integer.getInteger("cairn.ovn.batch", defaults.maxBatch()),
                defaults.debounce(),
                Duration.ofHours(1), defaults.minBackoff(), defaults.maxBackoff());
        try (NbServer server = NbServer.start(dir)) {
            server.nbctl("lr-add", ROUTER);
            OvnDriver driver = new OvnDriver(options(server));
            driver.read(); // connected before the reconciler listens, so no resync follows the full sync
            try (Reconciler r = new Reconciler(driver, settings)) {
                System.out.printf("%nReconciler over the OVN driver, %d routes, batches of %d prefixes:%n", n,
                        settings.maxBatch());
                r.replaceAll(desired);
                Step step = new Step(server);
                r.startLeading(1);
                Await.until(n + " routes programmed", WAIT,
                        () -> r.health().state() == State.IN_SYNC && r.health().routesProgrammed() == n);
                SdnHealth full = r.health();
                step.report("full sync (" + full.writes() + " transactions; wall until seen in sync)");
                assertEquals((n + settings.maxBatch() - 1) / settings.maxBatch(), full.writes());

                step = new Step(server);
                r.resync();
                Await.until("a converged resync", WAIT, () -> r.health().lastSuccess() != full.lastSuccess()
                        && r.health().state() == State.IN_SYNC);
                SdnHealth converged = r.health();
                step.report("converged resync (read, diff, empty fenced txn)", converged.lastSyncDuration());
                assertEquals(full.writes(), converged.writes(), "a converged table writes nothing");

                step = new Step(server);
                r.resync();
                Await.until("another converged resync", WAIT, () -> r.health().lastSuccess() != converged.lastSuccess()
                        && r.health().state() == State.IN_SYNC);
                step.report("  and again (nothing changed since the last read)", r.health().lastSyncDuration());
                assertEquals(full.writes(), r.health().writes());

                step = new Step(server);
                r.set(desired.routes().keySet().iterator().next(), Set.of(InetAddress.getByName("10.1.2.99")));
                Await.until("the change synced", WAIT, () -> r.health().writes() == converged.writes() + 1
                        && r.health().state() == State.IN_SYNC);
                step.report("one route changed (one transaction)", r.health().lastSyncDuration());
            }
        }
    }

    private static OvnOptions options(NbServer server) {
        // One transaction of 100k rows, or ovsdb-client dumping them, keeps ovsdb-server busy (and
        // silent) for many seconds: long request timeout and echo interval, and the unix socket, on
        // which ovsdb-server sends no inactivity probes (on tcp its 5 s probe can drop a client
        // whose reply waits behind a 30 MB update).
        return new OvnOptions(server.unix(), ROUTER, OvnOptions.DEFAULT_OWNER, null, Duration.ofMinutes(5),
                Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    /** Wall time and the CPU time ovsdb-server and this JVM (all its threads, GC included) spent on a step. */
    private static final class Step {
        private final NbServer server;
        private final long wall = System.nanoTime();
        private final long serverCpu;
        private final long clientCpu = clientCpuMillis();

        Step(NbServer server) {
            this.server = server;
            this.serverCpu = server.cpuMillis();
        }

        void report(String what) {
            report(what, Duration.ofNanos(System.nanoTime() - wall));
        }

        void report(String what, Duration took) {
            System.out.printf("  %-52s %7d ms   ovsdb-server cpu %6d ms   client cpu %6d ms%n", what, took.toMillis(),
                    server.cpuMillis() - serverCpu, clientCpuMillis() - clientCpu);
        }

        private static long clientCpuMillis() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1_000_000;
        }
    }

    /** n distinct /24s from 10.0.0.0/24 upwards, every other one ECMP over two next hops unless cairn.ovn.ecmp=false. */
    private static RouteTable table(int n) throws Exception {
        Map<IpPrefix, Set<InetAddress>> routes = new TreeMap<>();
        InetAddress a = InetAddress.getByName("10.1.2.4");
        InetAddress b = InetAddress.getByName("10.1.2.5");
        boolean ecmp = Boolean.parseBoolean(System.getProperty("cairn.ovn.ecmp", "true"));
        for (int i = 0; i < n; i++) {
            int net = (10 << 24) + (i << 8);
            IpPrefix p = new IpPrefix(InetAddress.getByAddress(new byte[] {(byte) (net >>> 24), (byte) (net >>> 16),
                    (byte) (net >>> 8), 0}), 24);
            routes.put(p, i % 2 == 0 || !ecmp ? Set.of(a) : Set.of(a, b));
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
