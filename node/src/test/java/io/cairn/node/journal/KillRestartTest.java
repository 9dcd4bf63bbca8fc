package io.cairn.node.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.node.admin.Http;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.interop.Tools;
import io.cairn.testsupport.Await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's crash test, with separate processes killed for real: a {@code cairn run} holding a
 * BIRD peer's table is SIGKILLed and started again on the same journal. Its Adj-RIB-In and Loc-RIB
 * equal the pre-kill ones while BIRD is still away (every path replayed, stale) and again once BIRD
 * is back and has sent End-of-RIB; and BIRD, which has graceful restart on, keeps Cairn's VNet
 * route the whole time because Cairn advertised graceful restart with the forwarding-state bit.
 * BIRD reaches Cairn through a {@link TcpGate}, which keeps it out until the replayed RIB is read.
 * A million paths are compared by the admin API's digest; a smaller table also path by path.
 */
class KillRestartTest {

    private static final String VNET = "10.1.0.0/16";
    private static final String BIRD = "127.0.0.2";
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** How often BIRD's table is checked for Cairn's route while Cairn is down. */
    private static final long WATCH_MILLIS = 100;

    @TempDir
    Path dir;

    private final List<CairnProcess> cairns = new ArrayList<>();

    @AfterEach
    void stopCairns() {
        cairns.forEach(CairnProcess::close);
    }

    private CairnProcess started(CairnProcess cairn) {
        cairns.add(cairn);
        return cairn;
    }

    @Test
    void aKilledNodeOfAMillionPathsComesBackWithTheSameRibWhileBirdKeepsItsRoute() throws Exception {
        crashAndRestart(Integer.getInteger("cairn.killtest.paths", 1_000_000), false);
    }

    @Test
    void aKilledNodeComesBackWithTheSameRibPathByPath() throws Exception {
        crashAndRestart(20_000, true);
    }

    private void crashAndRestart(int routes, boolean fullDump) throws Exception {
        Tools.requireBinary("bird");
        int bgpPort = Loopback.freePort(Loopback.address(1));
        int adminPort = Loopback.freePort(Loopback.address(1));
        Path journal = dir.resolve("journal");
        Path config = Files.writeString(dir.resolve("cairn.yaml"), """
                node: {id: a, router-id: 10.1.0.4, listen: "127.0.0.1:%d"}
                vnet: {prefixes: [%s], next-hop: 192.0.2.254}
                admin: {listen: "127.0.0.1:%d"}
                journal: {dir: %s, snapshot-records: %d}
                peers:
                  - {name: bird, address: %s, asn: 65001, passive: true, max-prefixes: 2000000}
                """.formatted(bgpPort, VNET, adminPort, journal, Math.max(1_000, routes / 50), BIRD));
        Path birdDir = Files.createDirectory(dir.resolve("bird"));
        try (TcpGate gate = new TcpGate(Loopback.address(1), InetAddress.getByName(BIRD),
                new InetSocketAddress(Loopback.address(1), bgpPort));
             BirdTable bird = new BirdTable(birdDir, routes, BIRD, Tools.freePort(BIRD), "127.0.0.1", gate.port(), 65515, 120);
             CairnProcess first = started(CairnProcess.start(config, dir.resolve("first.log"), adminPort)).awaitReady(WAIT)) {
            gate.open(true);
            long learning = System.nanoTime();
            Await.until("cairn to learn BIRD's " + routes + " routes", WAIT, atMostEvery(Duration.ofSeconds(2),
                    () -> first.getOk("/api/v1/routes/digest").json().path("adj_rib_in").path("count").asLong() == routes));
            long learnedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - learning);
            Await.until("BIRD to learn Cairn's VNet route", WAIT, () -> bird.hasRouteFromCairn(VNET));
            JsonNode digest = first.getOk("/api/v1/routes/digest").json();
            assertEquals(routes, digest.path("adj_rib_in").path("count").asLong(), digest.toString());
            Dump dump = fullDump ? Dump.of(first) : null;

            try (Watch watch = new Watch(bird)) {
                gate.open(false);
                long killed = System.nanoTime();
                first.kill();
                long journalBytes = size(journal);
                CairnProcess second = started(CairnProcess.start(config, dir.resolve("second.log"), adminPort));
                second.awaitReady(WAIT);
                long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                // Before BIRD is back: every path is the replayed one, stale.
                JsonNode replayed = second.getOk("/api/v1/routes/digest").json();
                Dump replayedDump = fullDump ? Dump.of(second) : null;
                JsonNode away = peer(second);
                assertEquals(routes, away.path("prefixes_stale").asInt(), away.toString());
                assertEquals(digest, replayed, "the replayed RIB equals the pre-kill one");
                if (fullDump) {
                    dump.assertSameRoutes(replayedDump, true);
                }

                gate.open(true);
                long opened = System.nanoTime();
                Await.until("BIRD to see the session Established", WAIT, bird::established);
                long establishedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
                // While BIRD sends its table again the RIB may answer the peer view late (503): asked again.
                Await.until("BIRD back with its End-of-RIB: Established, nothing stale", WAIT, atMostEvery(Duration.ofSeconds(10), () ->
                        second.get("/api/v1/peers/bird").filter(r -> r.status() == 200).map(Http.Reply::json)
                                .filter(p -> p.path("state").asText().equals("Established") && p.path("prefixes_stale").asInt() == 0
                                        && p.path("prefixes_accepted").asInt() == routes).isPresent()));
                long backMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
                assertEquals(digest, second.getOk("/api/v1/routes/digest").json(), "the RIB after End-of-RIB");
                if (fullDump) {
                    dump.assertSameRoutes(Dump.of(second), false);
                }
                watch.assertNeverLost();
                CairnProcess.Replay r = second.replay();
                assertEquals(routes, r.paths(), "the replay log line counts every path");
                System.out.printf("journal restart: %d paths learned in %d ms; journal files %d bytes (apparent size); "
                                + "replayed %d records, %d paths in %d ms; kill to ready %d ms; BIRD let in: Established in %d ms, "
                                + "its table again with nothing stale within %d ms (polled every 10 s); BIRD checked %d times from the kill, "
                                + "VNet route always there; snapshots: %s%n", routes, learnedMillis, journalBytes,
                        r.records(), r.paths(), r.millis(), readyMillis, establishedMillis, backMillis, watch.checks.get(), snapshotLines(first));
            }
        }
    }

    /**
     * {@code condition}, asked at most once a {@code period} (false in between): the admin API's
     * digest and peer view walk the whole RIB on its thread (the peer view sorts a copy of the
     * Adj-RIB-In: seconds for a million paths), which frequent polling would starve.
     */
    private static BooleanSupplier atMostEvery(Duration period, BooleanSupplier condition) {
        long[] last = {System.nanoTime() - period.toNanos()};
        return () -> {
            if (System.nanoTime() - last[0] < period.toNanos()) {
                return false;
            }
            last[0] = System.nanoTime();
            return condition.getAsBoolean();
        };
    }

    private static JsonNode peer(CairnProcess cairn) {
        return cairn.getOk("/api/v1/peers/bird").json();
    }

    /** The snapshot lines of a node's log, for the figures. */
    private static String snapshotLines(CairnProcess cairn) {
        return cairn.logText().lines().filter(l -> l.contains(": snapshot ")).toList().toString();
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** BIRD's Adj-RIB-In and Loc-RIB as the admin API prints them; 'stale' is the only field a restart may change. */
    private record Dump(JsonNode learned, JsonNode best) {

        static Dump of(CairnProcess cairn) {
            return new Dump(cairn.getOk("/api/v1/peers/bird/routes/learned").json(),
                    cairn.getOk("/api/v1/routes/best").json());
        }

        void assertSameRoutes(Dump other, boolean stale) {
            JsonNode routes = other.learned.path("routes");
            assertEquals(learned.path("routes").size(), routes.size());
            for (JsonNode r : routes) {
                assertEquals(stale, r.path("stale").asBoolean(), r.toString());
                ((ObjectNode) r).put("stale", false);
            }
            assertEquals(learned, other.learned, "the Adj-RIB-In, path by path");
            assertEquals(best, other.best, "the Loc-RIB with its ECMP sets");
        }
    }

    /** Checks every {@value #WATCH_MILLIS} ms, on its own thread, that BIRD still has Cairn's VNet route. */
    private static final class Watch implements AutoCloseable {
        final AtomicInteger checks = new AtomicInteger();
        private final AtomicInteger misses = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Watch(BirdTable bird) {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        if (!bird.hasRouteFromCairn(VNET)) {
                            misses.incrementAndGet();
                        }
                    } catch (AssertionError e) { // birdc did not answer: BIRD cannot show the route either
                        misses.incrementAndGet();
                    }
                    checks.incrementAndGet();
                    try {
                        Thread.sleep(WATCH_MILLIS); // the polling period, not a synchronisation
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bird-watch");
            thread.start();
        }

        void assertNeverLost() {
            close();
            assertTrue(checks.get() > 0, "BIRD was never checked");
            assertEquals(0, misses.get(), "checks (of " + checks.get() + ") in which BIRD had lost Cairn's " + VNET);
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
