package io.cairn.sdn.ovn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.testsupport.Await;
import io.cairn.sdn.BatchProgress;
import io.cairn.sdn.FencedException;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnConfig;
import io.cairn.sdn.SdnDriver;
import io.cairn.sdn.SdnDrivers;
import io.cairn.sdn.SdnException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ovn driver against a real OVN northbound ovsdb-server, checked with ovn-nbctl as an
 * independent reader. Routes are the canonical scenario's: 10.250.0.0/16 via the SD-WAN NVA,
 * 0.0.0.0/0 via the firewall NVAs (ECMP), and an IPv6 route.
 */
class OvnDriverTest {

    private static final String ROUTER = "lr-vnet";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final IpPrefix SDWAN_NET = IpPrefix.parse("10.250.0.0/16");
    private static final IpPrefix DEFAULT = IpPrefix.parse("0.0.0.0/0");
    private static final IpPrefix V6 = IpPrefix.parse("2001:db8:250::/48");

    @TempDir
    Path dir;
    private NbServer server;
    private final List<OvnDriver> drivers = new ArrayList<>();

    @BeforeEach
    void startServer() {
        NbServer.assumeInstalled();
        server = NbServer.start(dir);
        server.nbctl("lr-add", ROUTER);
        // An operator's own routes on the same router: one for a prefix of its own, one ECMP
        // member for a prefix Cairn also programs. Neither may ever be touched.
        server.nbctl("lr-route-add", ROUTER, "192.168.99.0/24", "10.9.9.9");
        server.nbctl("--ecmp", "lr-route-add", ROUTER, "0.0.0.0/0", "10.9.9.10");
    }

    @AfterEach
    void stop() {
        drivers.forEach(OvnDriver::close);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void canonicalRoutesAppearInOvnNbctlAndReadBack() throws Exception {
        OvnDriver driver = driver(server.tcp(), ROUTER);
        RouteTable desired = canonical();

        driver.apply(1, desired.diffFrom(RouteTable.EMPTY));

        assertEquals(desired, driver.read());
        Map<String, Set<String>> listed = routeList();
        assertEquals(Set.of("10.1.1.4"), listed.get("10.250.0.0/16"));
        assertEquals(Set.of("10.1.2.4", "10.1.2.5", "10.9.9.10"), listed.get("0.0.0.0/0"));
        assertEquals(Set.of("fd00:1::4"), listed.get("2001:db8:250::/48"));
        assertEquals(Set.of("10.9.9.9"), listed.get("192.168.99.0/24"));
        assertEquals(4, cairnRowCount(), "one row per next hop, ECMP as several rows");
    }

    @Test
    void nextHopChangesAndRemovalsLeaveOperatorRoutesAlone() throws Exception {
        OvnDriver driver = driver(server.tcp(), ROUTER);
        driver.apply(1, canonical().diffFrom(RouteTable.EMPTY));

        RouteTable changed = table(Map.of(DEFAULT, Set.of(ip("10.1.2.5"), ip("10.1.2.6")),
                V6, Set.of(ip("fd00:1::5"))));
        driver.apply(1, changed.diffFrom(driver.read()));

        assertEquals(changed, driver.read());
        Map<String, Set<String>> listed = routeList();
        assertFalse(listed.containsKey("10.250.0.0/16"));
        assertEquals(Set.of("10.1.2.5", "10.1.2.6", "10.9.9.10"), listed.get("0.0.0.0/0"));
        assertEquals(Set.of("fd00:1::5"), listed.get("2001:db8:250::/48"));
        assertEquals(Set.of("10.9.9.9"), listed.get("192.168.99.0/24"));
        assertEquals(3, cairnRowCount());

        driver.apply(1, RouteTable.EMPTY.diffFrom(driver.read()));
        assertEquals(RouteTable.EMPTY, driver.read());
        assertEquals(Map.of("0.0.0.0/0", Set.of("10.9.9.10"), "192.168.99.0/24", Set.of("10.9.9.9")), routeList());
    }

    @Test
    void twoOwnersOnOneRouterNeverTouchEachOthersRows() throws Exception {
        SdnConfig.OvnSettings blueConfig = new SdnConfig.OvnSettings("unix:" + server.unix().path(), ROUTER, null, null,
                null, "blue");
        SdnDriver blue = SdnDrivers.create(SdnConfig.ovn(blueConfig)).orElseThrow();
        try {
            OvnDriver green = track(new OvnDriver(OvnOptions.of(server.tcp(), ROUTER, "green", null)));
            RouteTable blueRoutes = canonical();
            RouteTable greenRoutes = table(Map.of(DEFAULT, Set.of(ip("10.1.2.4"), ip("10.1.2.6")),
                    IpPrefix.parse("10.251.0.0/16"), Set.of(ip("10.1.1.5"))));
            blue.apply(1, blueRoutes.diffFrom(RouteTable.EMPTY));
            green.apply(7, greenRoutes.diffFrom(RouteTable.EMPTY));

            assertEquals(blueRoutes, blue.read(), "blue sees only its own rows, though green holds the same prefix");
            assertEquals(greenRoutes, green.read());
            assertEquals(4, server.rowsOwnedBy("blue"));
            assertEquals(3, server.rowsOwnedBy("green"));
            assertEquals(Set.of("10.1.2.4", "10.1.2.5", "10.1.2.6", "10.9.9.10"), routeList().get("0.0.0.0/0"));

            blue.apply(1, RouteTable.EMPTY.diffFrom(blue.read())); // each has its own epoch key too: 1 < 7 is no fence
            assertEquals(RouteTable.EMPTY, blue.read());
            assertEquals(0, server.rowsOwnedBy("blue"));
            assertEquals(greenRoutes, green.read());
            assertEquals(3, server.rowsOwnedBy("green"));
            assertEquals(Set.of("10.1.2.4", "10.1.2.6", "10.9.9.10"), routeList().get("0.0.0.0/0"));
        } finally {
            blue.close();
        }
    }

    @Test
    void rowDeletedOrChangedByHandIsReportedAndRepaired() throws Exception {
        OvnDriver driver = driver(server.tcp(), ROUTER);
        AtomicInteger changes = new AtomicInteger();
        driver.onExternalChange(changes::incrementAndGet);
        driver.apply(1, canonical().diffFrom(RouteTable.EMPTY));
        Await.until("the connect to be reported", WAIT, () -> changes.get() >= 1);
        assertEquals(1, changes.get(), "Cairn's own write is not drift");
        int afterOwnWrite = changes.get();

        server.nbctl("lr-route-del", ROUTER, "10.250.0.0/16", "10.1.1.4");
        Await.until("drift reported for a deleted row", WAIT, () -> changes.get() > afterOwnWrite);
        assertFalse(driver.read().routes().containsKey(SDWAN_NET));

        String v6Row = server.nbctl("--bare", "--columns=_uuid", "find", "Logical_Router_Static_Route",
                "ip_prefix=\"2001:db8:250::/48\"").trim();
        int beforeEdit = changes.get();
        server.nbctl("set", "Logical_Router_Static_Route", v6Row, "policy=src-ip");
        Await.until("drift reported for a changed row", WAIT, () -> changes.get() > beforeEdit);
        assertFalse(driver.read().routes().containsKey(V6), "a row edited into a src-ip route is not Cairn's route");

        int beforeRepair = changes.get();
        driver.apply(1, canonical().diffFrom(driver.read()));
        assertEquals(beforeRepair, changes.get(), "Cairn's own write is not drift");
        assertEquals(canonical(), driver.read());
        assertEquals(Set.of("10.1.1.4"), routeList().get("10.250.0.0/16"));
        assertEquals(4, cairnRowCount(), "the edited row was replaced, not kept beside the new one");
    }

    @Test
    void rowOfCairnsWrittenElsewhereIsLearnedReportedAndRemovedWhenNotWanted() throws Exception {
        OvnDriver driver = driver(server.tcp(), ROUTER);
        AtomicInteger changes = new AtomicInteger();
        driver.onExternalChange(changes::incrementAndGet);
        driver.apply(1, canonical().diffFrom(RouteTable.EMPTY));
        Await.until("the connect to be reported", WAIT, () -> changes.get() >= 1);
        int before = changes.get();

        // As another node with the same owner writes it. The monitor does not send inserted rows,
        // so the driver learns this one by looking up the reference the router gained.
        server.nbctl("--", "--id=@r", "create", "Logical_Router_Static_Route", "ip_prefix=\"10.252.0.0/16\"",
                "nexthop=\"10.1.1.9\"", "external_ids:cairn-owner=cairn", "--", "add", "Logical_Router", ROUTER,
                "static_routes", "@r");
        Await.until("drift reported for a row of Cairn's it did not write", WAIT, () -> changes.get() > before);
        assertEquals(Set.of(ip("10.1.1.9")), driver.read().routes().get(IpPrefix.parse("10.252.0.0/16")));

        driver.apply(1, canonical().diffFrom(driver.read()));
        assertFalse(routeList().containsKey("10.252.0.0/16"));
        assertEquals(canonical(), driver.read());
        assertEquals(4, cairnRowCount());
    }

    @Test
    void batchesInFlightTogetherAllLandAndStopWhenTold() throws Exception {
        OvnDriver driver = driver(server.unix(), ROUTER);
        List<RouteDiff> batches = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
            Map<IpPrefix, Set<InetAddress>> upserts = new HashMap<>();
            for (int i = 0; i < 5; i++) {
                upserts.put(IpPrefix.parse("10.60." + (b * 5 + i) + ".0/24"), Set.of(ip("10.1.2.4"), ip("10.1.2.5")));
            }
            batches.add(new RouteDiff(upserts, Set.of()));
        }
        Progress all = new Progress(Integer.MAX_VALUE);
        assertTrue(driver.apply(3, batches, all)); // the first raises the stored epoch, the rest expect it
        assertEquals(20, all.written.get());
        assertEquals(100, driver.read().size());
        assertEquals(200, cairnRowCount());
        assertEquals("3", storedEpoch());

        List<RouteDiff> removals = new ArrayList<>();
        batches.forEach(b -> removals.add(new RouteDiff(Map.of(), b.upserts().keySet())));
        Progress three = new Progress(3);
        assertFalse(driver.apply(3, removals, three), "stopped before the last batch");
        assertEquals(3, three.written.get(), "every batch sent before the stop is applied, no other");
        assertEquals(85, driver.read().size());
        assertEquals(170, cairnRowCount());
    }

    @Test
    void aHigherEpochWritingMidPipelineFencesTheRestAndLeavesOnlyWholeBatches() throws Exception {
        OvnDriver leader = driver(server.unix(), ROUTER);
        OvnDriver newer = driver(server.tcp(), ROUTER);
        newer.read();
        List<RouteDiff> batches = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            batches.add(new RouteDiff(Map.of(IpPrefix.parse("10.61." + b + ".0/24"),
                    Set.of(ip("10.1.2.4"), ip("10.1.2.5"))), Set.of()));
        }
        Progress progress = new Progress(Integer.MAX_VALUE) {
            @Override
            public boolean proceed() {
                if (asked.get() == 4) {
                    try {
                        newer.apply(9, new RouteDiff(Map.of(IpPrefix.parse("10.99.0.0/24"), Set.of(ip("10.1.2.9"))),
                                Set.of()));
                    } catch (SdnException e) {
                        throw new AssertionError(e);
                    }
                }
                return super.proceed();
            }
        };
        FencedException e = assertThrows(FencedException.class, () -> leader.apply(2, batches, progress));
        assertEquals(9, e.storedEpoch());
        assertEquals("9", storedEpoch());
        RouteTable landed = newer.read();
        assertEquals(progress.written.get() + 1, landed.size(), "each batch reported written is there, no other");
        landed.routes().forEach((prefix, hops) -> assertEquals(prefix.equals(IpPrefix.parse("10.99.0.0/24")) ? 1 : 2,
                hops.size(), "no batch half applied: " + prefix));
        assertTrue(progress.written.get() >= 1 && progress.written.get() <= 4, "written: " + progress.written);
    }

    /**
     * A fence lost while a full window of batches is in flight and batches are left to send: the
     * pass ends once the window is answered, and the next look finds the newer epoch and refuses
     * (a loop that went on while batches were left spun here forever, as nothing more is sent
     * after a lost fence). A relay holds the window, planned on the old epoch, until the newer
     * writer has committed, so every one of its fences fails.
     */
    @Test
    void aFenceLostWithAFullWindowInFlightEndsThePassAndReportsTheNewerEpoch() throws Exception {
        try (HeldRelay relay = new HeldRelay(server.tcpPort())) {
            OvnDriver leader = driver(relay.remote(), ROUTER);
            OvnDriver newer = driver(server.unix(), ROUTER);
            IpPrefix before = IpPrefix.parse("10.62.0.0/24");
            leader.apply(2, new RouteDiff(Map.of(before, Set.of(ip("10.1.2.4"))), Set.of()));
            newer.read();
            List<RouteDiff> batches = new ArrayList<>();
            for (int b = 0; b < 3 * OvnDriver.WINDOW; b++) {
                batches.add(new RouteDiff(Map.of(IpPrefix.parse("10.63." + b + ".0/24"), Set.of(ip("10.1.2.4"))),
                        Set.of()));
            }
            Progress progress = new Progress(Integer.MAX_VALUE);

            relay.hold();
            CompletableFuture<Boolean> applied = CompletableFuture.supplyAsync(() -> {
                try {
                    return leader.apply(2, batches, progress); // epoch 2 is stored: the window fills at once
                } catch (SdnException e) {
                    throw new CompletionException(e);
                }
            });
            Await.until("a full window of the leader's transactions to be held", WAIT,
                    () -> relay.heldRequests("transact") == OvnDriver.WINDOW);
            IpPrefix newerRoute = IpPrefix.parse("10.99.0.0/24");
            newer.apply(3, new RouteDiff(Map.of(newerRoute, Set.of(ip("10.1.2.9"))), Set.of()));
            relay.release();

            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> applied.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "apply returns, refused");
            FencedException fenced = assertInstanceOf(FencedException.class, e.getCause());
            assertEquals(3, fenced.storedEpoch());
            assertEquals(0, progress.written.get(), "no batch of the stale leader committed");
            assertEquals(Set.of(before, newerRoute), newer.read().routes().keySet());
            assertEquals("3", storedEpoch());
        }
    }

    /** Proceeds {@code limit} times, counting what was asked and written. */
    private static class Progress implements BatchProgress {
        final AtomicInteger asked = new AtomicInteger();
        final AtomicInteger written = new AtomicInteger();
        private final int limit;

        Progress(int limit) {
            this.limit = limit;
        }

        @Override
        public boolean proceed() {
            return asked.incrementAndGet() <= limit;
        }

        @Override
        public void written() {
            written.incrementAndGet();
        }
    }

    @Test
    void olderEpochIsFencedAndWritesNothing() throws Exception {
        OvnDriver leader = driver(server.tcp(), ROUTER);
        OvnDriver stale = driver(server.unix(), ROUTER);
        leader.apply(5, canonical().diffFrom(RouteTable.EMPTY));
        Map<String, Set<String>> before = routeList();

        // Whether or not the stale driver's replica has seen epoch 5 yet, the outcome is the
        // same: refused up front, or its fence fails and the second look refuses it.
        RouteDiff wipe = RouteTable.EMPTY.diffFrom(canonical());
        FencedException e = assertThrows(FencedException.class, () -> stale.apply(4, wipe));
        assertEquals(5, e.storedEpoch());
        assertEquals(before, routeList());
        assertEquals("5", storedEpoch());
    }

    @Test
    void racingWritersEndWithTheHigherEpochAndFenceTheLower() throws Exception {
        OvnDriver six = driver(server.tcp(), ROUTER);
        OvnDriver seven = driver(server.unix(), ROUTER);
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> sevenFailures = new ArrayList<>();
        Thread writer7 = new Thread(() -> {
            try {
                go.await();
                for (int i = 0; i < 50; i++) {
                    seven.apply(7, new RouteDiff(Map.of(IpPrefix.parse("10.77." + i + ".0/24"), Set.of(ip("10.1.2.7"))),
                            Set.of()));
                }
            } catch (Exception ex) {
                synchronized (sevenFailures) {
                    sevenFailures.add(ex);
                }
            }
        });
        writer7.start();
        go.countDown();
        int sixWrote = 0;
        boolean sixFenced = false;
        for (int i = 0; i < 50 && !sixFenced; i++) {
            try {
                six.apply(6, new RouteDiff(Map.of(IpPrefix.parse("10.66." + i + ".0/24"), Set.of(ip("10.1.2.6"))), Set.of()));
                sixWrote++;
            } catch (FencedException ex) {
                sixFenced = true;
            }
        }
        writer7.join(WAIT.toMillis());
        assertTrue(sevenFailures.isEmpty(), () -> "the epoch-7 writer failed: " + sevenFailures);
        assertEquals("7", storedEpoch());
        assertThrows(FencedException.class, () -> six.apply(6, new RouteDiff(Map.of(), Set.of(IpPrefix.parse("10.77.0.0/24")))));
        RouteTable finalTable = seven.read();
        assertEquals(50 + sixWrote, finalTable.size(), "every committed write is there once, nothing else");
        assertEquals(Set.of(ip("10.1.2.7")), finalTable.routes().get(IpPrefix.parse("10.77.0.0/24")));
    }

    @Test
    void unixSocketRemoteWorks() throws Exception {
        OvnDriver driver = driver(server.unix(), ROUTER);
        driver.apply(1, canonical().diffFrom(RouteTable.EMPTY));
        assertEquals(Set.of("10.1.1.4"), routeList().get("10.250.0.0/16"));
        assertEquals(canonical(), driver.read());
    }

    @Test
    void sslRemoteWorks() throws Exception {
        server.close();
        Path tlsDir = dir.resolve("ssl");
        Files.createDirectories(tlsDir);
        TestPki pki = TestPki.create(tlsDir);
        Path sslDb = dir.resolve("ssl-db");
        Files.createDirectories(sslDb);
        server = NbServer.start(sslDb, NbServer.NB_SCHEMA,
                new NbServer.Tls(pki.serverKey, pki.serverCert, pki.ca, NbServer.freePort()));
        server.nbctl("lr-add", ROUTER);
        OvnDriver driver = track(new OvnDriver(OvnOptions.of(server.ssl(), ROUTER, OvnOptions.DEFAULT_OWNER, pki.client)));

        driver.apply(1, canonical().diffFrom(RouteTable.EMPTY));

        assertEquals(canonical(), driver.read());
        assertEquals(Set.of("10.1.1.4"), routeList().get("10.250.0.0/16"));
    }

    @Test
    void serverKilledMeansRetryableThenResyncsWithoutDuplicates() throws Exception {
        OvnDriver driver = driver(server.tcp(), ROUTER);
        AtomicInteger changes = new AtomicInteger();
        driver.onExternalChange(changes::incrementAndGet);
        driver.apply(3, canonical().diffFrom(RouteTable.EMPTY));
        Await.until("the connect to be reported", WAIT, () -> changes.get() >= 1);

        server.kill();
        Await.until("the driver to notice the server is gone", WAIT, () -> retryableFailure(driver));
        SdnException down = assertThrows(SdnException.class,
                () -> driver.apply(3, new RouteDiff(Map.of(IpPrefix.parse("10.3.0.0/16"), Set.of(ip("10.1.1.4"))), Set.of())));
        assertTrue(down.retryable(), down.getMessage());

        int beforeRestart = changes.get();
        server.restart();
        Await.until("the driver to reconnect", WAIT, () -> changes.get() > beforeRestart && !retryableFailure(driver));
        RouteTable desired = table(Map.of(SDWAN_NET, Set.of(ip("10.1.1.4")), DEFAULT, Set.of(ip("10.1.2.4"), ip("10.1.2.5")),
                V6, Set.of(ip("fd00:1::4")), IpPrefix.parse("10.3.0.0/16"), Set.of(ip("10.1.1.4"))));
        driver.apply(3, desired.diffFrom(driver.read()));

        assertEquals(desired, driver.read());
        assertEquals(5, cairnRowCount(), "no duplicates after the resync");
        assertEquals(Set.of("10.1.2.4", "10.1.2.5", "10.9.9.10"), routeList().get("0.0.0.0/0"));
    }

    /**
     * An IPv4-mapped IPv6 prefix or next hop (RFC 4291 2.5.5.2) must read back as the IPv6 route
     * it was written as, not as IPv4: otherwise every resync finds it missing and rewrites it.
     */
    @Test
    void ipv4MappedIpv6RoutesReadBackAsWrittenSoAResyncWritesNothing() throws Exception {
        InetAddress mappedHop = IpPrefix.parse("::ffff:10.1.2.4/128").address(); // InetAddress.getByName gives IPv4
        RouteTable desired = table(Map.of(IpPrefix.parse("::ffff:10.70.0.0/120"), Set.of(mappedHop),
                IpPrefix.parse("::ffff:10.70.1.1/128"), Set.of(mappedHop, ip("fd00:1::4")),
                V6, Set.of(mappedHop), DEFAULT, Set.of(ip("10.1.2.4"))));
        OvnDriver driver = driver(server.tcp(), ROUTER);
        AtomicInteger changes = new AtomicInteger();
        driver.onExternalChange(changes::incrementAndGet);
        driver.apply(1, desired.diffFrom(RouteTable.EMPTY));
        assertEquals(desired, driver.read(), "as learned from the inserts");
        assertEquals(Set.of("::ffff:10.1.2.4"), routeList().get("::ffff:10.70.0.0/120"), "RFC 5952 5 text");
        Set<String> rows = cairnRowUuids();
        Await.until("the connect to be reported", WAIT, () -> changes.get() >= 1);

        int beforeRestart = changes.get();
        server.kill();
        server.restart();
        Await.until("the driver to resync", WAIT, () -> changes.get() > beforeRestart && !retryableFailure(driver));
        assertEquals(desired, driver.read(), "as read back from the monitor");
        assertTrue(desired.diffFrom(driver.read()).isEmpty());
        assertEquals(desired, driver(server.unix(), ROUTER).read(), "as another node's driver reads them");
        assertEquals(rows, cairnRowUuids(), "no row rewritten");
    }

    @Test
    void missingRouterIsANonRetryableErrorNamingIt() {
        OvnDriver driver = driver(server.tcp(), "lr-nowhere");
        SdnException e = assertThrows(SdnException.class, () -> driver.apply(1, canonical().diffFrom(RouteTable.EMPTY)));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("'lr-nowhere'"), e.getMessage());
        SdnException r = assertThrows(SdnException.class, driver::read);
        assertFalse(r.retryable());
    }

    @Test
    void databaseWithoutTheNorthboundSchemaIsANonRetryableError() throws Exception {
        server.close();
        Path sbDir = dir.resolve("sb");
        Files.createDirectories(sbDir);
        server = NbServer.start(sbDir, Path.of("/usr/share/ovn/ovn-sb.ovsschema"), null);
        OvnDriver driver = driver(server.tcp(), ROUTER);
        SdnException e = assertThrows(SdnException.class, driver::read);
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("OVN_Northbound"), e.getMessage());
    }

    @Test
    void northboundSchemaWithoutAColumnCairnNeedsIsANonRetryableErrorNamingIt() throws Exception {
        server.close();
        Path oldDir = dir.resolve("old-schema");
        Files.createDirectories(oldDir);
        ObjectNode schema = (ObjectNode) OvsdbConnection.JSON.readTree(NbServer.NB_SCHEMA.toFile());
        ((ObjectNode) schema.path("tables").path("Logical_Router_Static_Route")
                .path("columns")).remove("nexthop");
        Path schemaFile = oldDir.resolve("nb-without-nexthop.ovsschema");
        OvsdbConnection.JSON.writeValue(schemaFile.toFile(), schema);
        server = NbServer.start(oldDir, schemaFile, null);
        OvnDriver driver = driver(server.unix(), ROUTER);
        SdnException e = assertThrows(SdnException.class, () -> driver.apply(1, canonical().diffFrom(RouteTable.EMPTY)));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("table Logical_Router_Static_Route has no column nexthop"), e.getMessage());
    }

    private OvnDriver driver(OvsdbRemote remote, String router) {
        return track(new OvnDriver(OvnOptions.of(remote, router, OvnOptions.DEFAULT_OWNER, null)));
    }

    private OvnDriver track(OvnDriver d) {
        drivers.add(d);
        return d;
    }

    private static boolean retryableFailure(OvnDriver driver) {
        try {
            driver.read();
            return false;
        } catch (SdnException e) {
            return e.retryable();
        }
    }

    private static RouteTable canonical() {
        return table(Map.of(SDWAN_NET, Set.of(ip("10.1.1.4")), DEFAULT, Set.of(ip("10.1.2.4"), ip("10.1.2.5")),
                V6, Set.of(ip("fd00:1::4"))));
    }

    private static RouteTable table(Map<IpPrefix, Set<InetAddress>> routes) {
        return new RouteTable(routes);
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, Set<String>> routeList() {
        return server.routeList(ROUTER);
    }

    private int cairnRowCount() {
        return server.rowsOwnedBy(OvnOptions.DEFAULT_OWNER);
    }

    private Set<String> cairnRowUuids() {
        return server.rowUuidsOwnedBy(OvnOptions.DEFAULT_OWNER);
    }

    private String storedEpoch() {
        return server.nbctl("get", "Logical_Router", ROUTER, "external_ids:\"cairn-epoch:cairn\"").trim().replace("\"", "");
    }
}
