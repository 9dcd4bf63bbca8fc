package io.cairn.sdn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.sdn.SdnHealth.State;
import io.cairn.sdn.file.FileDriver;
import io.cairn.testsupport.Await;
import io.cairn.testsupport.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler against the real file driver: what lands in the file is what a user sees. */
class ReconcilerTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Reconciler.Settings FAST = new Reconciler.Settings(1000, Duration.ofMillis(5),
            Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(400));
    static final RouteTable CANONICAL = Routes.of(
            "10.250.0.0/16", "10.1.1.4",
            "0.0.0.0/0", "10.1.2.4 10.1.2.5",
            "2001:db8::/32", "fd00::4");

    @TempDir
    Path dir;
    private final List<Reconciler> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(Reconciler::close);
    }

    private Reconciler reconciler(Path file, Reconciler.Settings settings) {
        Reconciler r = new Reconciler(new FileDriver(file), settings);
        started.add(r);
        return r;
    }

    private static RouteTable fileRoutes(Path file) {
        try {
            return new FileDriver(file).read();
        } catch (SdnException e) {
            throw new AssertionError(e);
        }
    }

    private static long fileEpoch(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile()).get("epoch").longValue();
    }

    private static void awaitState(Reconciler r, State state) {
        Await.until("state " + state + " (now " + r.health() + ")", WAIT, () -> r.health().state() == state);
    }

    @Test
    void standbyWritesNothingAndLeadershipProgramsTheDesiredTable() throws Exception {
        Path file = dir.resolve("routes.json");
        Reconciler r = reconciler(file, FAST);
        r.replaceAll(CANONICAL);
        assertEquals(State.STANDBY, r.health().state());

        r.startLeading(1);

        Await.until("the file holds the desired table", WAIT, () -> fileRoutes(file).equals(CANONICAL));
        awaitState(r, State.IN_SYNC);
        SdnHealth h = r.health();
        assertEquals(3, h.routesProgrammed());
        assertEquals(1, h.epoch());
        assertEquals(1, h.writes());
        assertNull(h.lastError());
        assertTrue(h.lastSuccess() != null && h.lastSyncDuration() != null);
        assertEquals(1, fileEpoch(file));
    }

    @Test
    void aConvergedLeaderChangeWritesNoRouteButStoresTheNewEpoch() throws Exception {
        Path file = dir.resolve("routes.json");
        Reconciler first = reconciler(file, FAST);
        first.replaceAll(CANONICAL);
        first.startLeading(1);
        Await.until("first leader synced", WAIT, () -> fileRoutes(file).equals(CANONICAL));
        first.stopLeading();

        Reconciler second = reconciler(file, FAST);
        second.replaceAll(CANONICAL);
        second.startLeading(2);

        Await.until("epoch 2 stored", WAIT, () -> fileEpochOrZero(file) == 2);
        awaitState(second, State.IN_SYNC);
        assertEquals(0, second.health().writes(), "no batch with a route in it");
        assertEquals(CANONICAL, fileRoutes(file));
    }

    @Test
    void changesFlowInAndAreCoalesced() {
        Path file = dir.resolve("routes.json");
        Reconciler r = reconciler(file, FAST);
        r.startLeading(1);
        awaitState(r, State.IN_SYNC);

        RouteTable many = Routes.many(200, "10.1.1.4");
        many.routes().forEach(r::set);
        r.remove(IpPrefix.parse("10.0.0.0/24"));

        Await.until("199 routes in the file", WAIT, () -> fileRoutes(file).size() == 199);
        assertTrue(r.health().writes() < 50, "200 changes in a burst share syncs: " + r.health());
        r.set(IpPrefix.parse("10.0.1.0/24"), Routes.hops("10.1.1.4 10.1.1.5"));
        Await.until("ECMP update", WAIT,
                () -> Routes.hops("10.1.1.4 10.1.1.5").equals(fileRoutes(file).routes().get(IpPrefix.parse("10.0.1.0/24"))));
    }

    @Test
    void aLargeDiffIsWrittenInBatches() {
        Path file = dir.resolve("routes.json");
        Reconciler r = reconciler(file, new Reconciler.Settings(100, FAST.debounce(), FAST.driftRepairInterval(),
                FAST.minBackoff(), FAST.maxBackoff()));
        RouteTable many = Routes.many(1000, "10.1.1.4");
        r.replaceAll(many);

        r.startLeading(1);

        Await.until("1000 routes", WAIT, () -> fileRoutes(file).equals(many));
        assertEquals(10, r.health().writes());
    }

    @Test
    void driftIsRepaired() throws Exception {
        Path file = dir.resolve("routes.json");
        Reconciler r = reconciler(file, FAST);
        r.replaceAll(CANONICAL);
        r.startLeading(1);
        Await.until("synced", WAIT, () -> fileRoutes(file).equals(CANONICAL));

        // By hand: one route deleted, one changed, one added.
        Files.writeString(file, "{\"epoch\": 1, \"routes\": {\"0.0.0.0/0\": [\"10.9.9.9\"],"
                + " \"2001:db8::/32\": [\"fd00::4\"], \"192.0.2.0/24\": [\"10.1.1.4\"]}}");

        Await.until("the drift repair restores the table", WAIT, () -> fileRoutes(file).equals(CANONICAL));
        Await.until("the repair is counted", WAIT, () -> r.health().driftRepairs() == 1);
    }

    @Test
    void aNewerLeaderFencesThisOne() throws Exception {
        Path file = dir.resolve("routes.json");
        Reconciler old = reconciler(file, FAST);
        old.replaceAll(CANONICAL);
        old.startLeading(1);
        Await.until("synced", WAIT, () -> fileRoutes(file).equals(CANONICAL));
        RouteTable newer = Routes.of("10.250.0.0/16", "10.1.1.5");
        new FileDriver(file).apply(5, RouteDiff.between(CANONICAL, newer));
        byte[] newLeadersFile = Files.readAllBytes(file);

        old.remove(IpPrefix.parse("2001:db8::/32"));

        awaitState(old, State.FENCED);
        assertTrue(old.health().lastError().contains("epoch 1 is older than the SDN's epoch 5"), old.health().lastError());
        old.set(IpPrefix.parse("192.0.2.0/24"), Routes.hops("10.1.1.4"));
        Await.never("the fenced node writes", Duration.ofMillis(3 * FAST.driftRepairInterval().toMillis()),
                () -> !java.util.Arrays.equals(newLeadersFile, readAll(file)));
        assertArrayEquals(newLeadersFile, Files.readAllBytes(file));
    }

    @Test
    void aCorruptFileStopsProgrammingUntilTheOperatorFixesIt() throws Exception {
        Path file = dir.resolve("routes.json");
        Files.writeString(file, "not json");
        Reconciler r = reconciler(file, FAST);
        r.replaceAll(CANONICAL);

        r.startLeading(1);

        awaitState(r, State.FAILING);
        assertTrue(r.health().lastError().contains(file.toString()), r.health().lastError());
        assertEquals("not json", Files.readString(file));
        r.set(IpPrefix.parse("192.0.2.0/24"), Routes.hops("10.1.1.4"));
        Files.delete(file);

        RouteTable expected = r.desired();
        Await.until("programming resumes at the next drift repair", WAIT, () -> fileRoutes(file).equals(expected));
        awaitState(r, State.IN_SYNC);
        assertNull(r.health().lastError());
    }

    @Test
    void retryableTroubleBacksOffAndLosesNothing() throws Exception {
        Path sub = dir.resolve("late-mount");
        Path file = sub.resolve("routes.json");
        Reconciler r = reconciler(file, FAST);
        r.replaceAll(CANONICAL);
        r.startLeading(1);
        Await.until("two failed attempts", WAIT, () -> r.health().failures() >= 2);
        assertEquals(State.FAILING, r.health().state());

        r.set(IpPrefix.parse("192.0.2.0/24"), Routes.hops("10.1.1.4"));
        r.remove(IpPrefix.parse("2001:db8::/32"));
        Files.createDirectory(sub);

        RouteTable expected = r.desired();
        assertEquals(3, expected.size());
        Await.until("every change made while failing lands", WAIT, () -> fileRoutes(file).equals(expected));
        awaitState(r, State.IN_SYNC);
    }

    @Test
    void failingIsLoggedOncePerTransitionNotPerRetry() throws Exception {
        Path sub = dir.resolve("mount");
        Path file = sub.resolve("routes.json");
        Files.createDirectory(sub);
        Files.writeString(file, "not json");
        try (LogCapture log = new LogCapture(Reconciler.class)) {
            Reconciler r = reconciler(file, FAST);
            r.replaceAll(CANONICAL);
            r.startLeading(1);
            Await.until("three attempts on the corrupt file", WAIT, () -> r.health().failures() >= 3);

            Files.delete(file);
            Files.delete(sub); // now a retryable failure: the directory may be mounted late
            long before = r.health().failures();
            Await.until("three retries", WAIT, () -> r.health().failures() >= before + 3);
            Files.createDirectory(sub);
            awaitState(r, State.IN_SYNC);

            List<String> failing = log.linesWith("sync failing");
            assertEquals(2, failing.size(), "one line per kind of failure, not per attempt: " + failing);
            assertTrue(failing.get(0).startsWith("ERROR SDN (file): sync failing: " + file + ": not a Cairn route file"),
                    failing.get(0));
            assertTrue(failing.get(0).endsWith("not retried until the next drift repair (every 200 ms) or a resync"),
                    failing.get(0));
            assertTrue(failing.get(1).startsWith("WARN SDN (file): sync failing: "), failing.get(1));
            assertTrue(failing.get(1).endsWith("retrying with backoff from 50 ms up to 400 ms"), failing.get(1));
            List<String> recovered = log.linesWith("in sync again");
            assertEquals(1, recovered.size(), recovered.toString());
            long attempts = r.health().failures();
            assertEquals("INFO SDN (file): in sync again after " + attempts + " failed attempts, 3 routes", recovered.get(0));
        }
    }

    @Test
    void losingLeadershipAbandonsTheRetry() throws Exception {
        Path sub = dir.resolve("late-mount");
        Path file = sub.resolve("routes.json");
        Reconciler r = reconciler(file, FAST);
        r.replaceAll(CANONICAL);
        r.startLeading(1);
        Await.until("a failed attempt", WAIT, () -> r.health().failures() >= 1);

        r.stopLeading();
        Files.createDirectory(sub);

        assertEquals(State.STANDBY, r.health().state());
        // Longer than the longest backoff plus two drift repair ticks: a retry would have landed.
        Await.never("a write after leadership was lost", FAST.maxBackoff().plus(FAST.driftRepairInterval().multipliedBy(2)),
                () -> Files.exists(file));
    }

    private static long fileEpochOrZero(Path file) {
        try {
            return Files.exists(file) ? fileEpoch(file) : 0;
        } catch (Exception e) {
            return -1;
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }
}
