package io.cairn.sdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.sdn.SdnHealth.State;
import io.cairn.sdn.file.FileDriver;
import io.cairn.sdn.linux.LinuxRouteDriver;
import io.cairn.testsupport.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 ECMP routes through the reconciler: the first full sync, then a sync of the converged
 * table, which must write nothing. Prints the times (figures for bench/RESULTS.md):
 * {@code mvn -B -o -pl sdn-agent test -Dtest=ReconcileScaleTest}.
 */
class ReconcileScaleTest {

    static final int ROUTES = 10_000;
    static final Duration WAIT = Duration.ofSeconds(120);
    static final Reconciler.Settings SETTINGS = new Reconciler.Settings(1000, Duration.ofMillis(5),
            Duration.ofHours(1), Duration.ofMillis(200), Duration.ofSeconds(30));

    @TempDir
    Path dir;

    @Test
    void fileDriver() {
        measure(new FileDriver(dir.resolve("routes.json")), Routes.many(ROUTES, "10.1.1.4 10.1.1.5"));
    }

    @Test
    void linuxDriver() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "SKIPPED: the linux driver needs root to create a network namespace");
        String ns = "sdn-scale-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            sh("ip netns add " + ns);
            sh("ip -n " + ns + " link add v0 type veth peer name v1");
            sh("ip -n " + ns + " link set v0 up");
            sh("ip -n " + ns + " link set v1 up");
            sh("ip -n " + ns + " addr add 10.1.1.1/24 dev v0");
            measure(new LinuxRouteDriver(100, ns), Routes.many(ROUTES, "10.1.1.4 10.1.1.5"));
        } finally {
            sh("ip netns del " + ns);
        }
    }

    private void measure(SdnDriver driver, RouteTable table) {
        try (Reconciler r = new Reconciler(driver, SETTINGS)) {
            r.replaceAll(table);
            r.startLeading(1);
            Await.until("10k routes programmed", WAIT,
                    () -> r.health().state() == State.IN_SYNC && r.health().routesProgrammed() == ROUTES);
            SdnHealth full = r.health();

            Instant before = full.lastSuccess();
            r.resync();
            Await.until("a converged resync", WAIT, () -> r.health().lastSuccess() != before
                    && r.health().state() == State.IN_SYNC);
            SdnHealth converged = r.health();

            System.out.printf("SCALE %s: full sync of %d routes %d ms in %d batches; converged resync %d ms%n",
                    driver.name(), ROUTES, full.lastSyncDuration().toMillis(), full.writes(),
                    converged.lastSyncDuration().toMillis());
            assertEquals(ROUTES / SETTINGS.maxBatch(), full.writes());
            assertEquals(full.writes(), converged.writes(), "a converged table writes nothing");
            assertTrue(converged.lastSyncDuration().compareTo(Duration.ofSeconds(10)) < 0, converged.toString());
        }
    }

    private static void sh(String command) {
        try {
            Process p = new ProcessBuilder(command.split(" ")).inheritIO().start();
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, command);
        } catch (Exception e) {
            throw new AssertionError(command, e);
        }
    }
}
