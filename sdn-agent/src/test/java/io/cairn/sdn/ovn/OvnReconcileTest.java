package io.cairn.sdn.ovn;

import io.cairn.testsupport.Await;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.Reconciler;
import io.cairn.sdn.RouteTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static io.cairn.sdn.ovn.OvnDriverTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reconciler driving the ovn driver against a real ovsdb-server. The periodic drift repair
 * is set to an hour, so every repair seen here was triggered by the OVSDB monitor.
 */
class OvnReconcileTest {

    private static final String ROUTER = "lr-vnet";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Reconciler.Settings MONITOR_ONLY = new Reconciler.Settings(1000, Duration.ofMillis(5),
            Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(500));
    private static final RouteTable CANONICAL = new RouteTable(Map.<IpPrefix, Set<InetAddress>>of(
            IpPrefix.parse("10.250.0.0/16"), Set.of(ip("10.1.1.4")),
            IpPrefix.parse("0.0.0.0/0"), Set.of(ip("10.1.2.4"), ip("10.1.2.5")),
            IpPrefix.parse("2001:db8:250::/48"), Set.of(ip("fd00:1::4"))));
    private static final Map<String, Set<String>> LISTED = Map.of(
            "10.250.0.0/16", Set.of("10.1.1.4"),
            "0.0.0.0/0", Set.of("10.1.2.4", "10.1.2.5"),
            "2001:db8:250::/48", Set.of("fd00:1::4"),
            "192.168.99.0/24", Set.of("10.9.9.9"));

    @TempDir
    Path dir;
    private NbServer server;
    private Reconciler reconciler;

    @BeforeEach
    void start() {
        NbServer.assumeInstalled();
        server = NbServer.start(dir);
        server.nbctl("lr-add", ROUTER);
        server.nbctl("lr-route-add", ROUTER, "192.168.99.0/24", "10.9.9.9");
        reconciler = new Reconciler(new OvnDriver(OvnOptions.of(server.tcp(), ROUTER, OvnOptions.DEFAULT_OWNER, null)),
                MONITOR_ONLY);
    }

    @AfterEach
    void stop() {
        if (reconciler != null) {
            reconciler.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void rowDeletedByHandComesBackAndARestartedServerEndsWithoutDuplicates() {
        reconciler.replaceAll(CANONICAL);
        reconciler.startLeading(1);
        Await.until("the canonical routes in lr-route-list", WAIT, () -> LISTED.equals(server.routeList(ROUTER)));

        server.nbctl("lr-route-del", ROUTER, "10.250.0.0/16");
        Await.until("the deleted row to come back", WAIT, () -> LISTED.equals(server.routeList(ROUTER)));

        server.kill();
        server.restart();
        server.nbctl("lr-route-del", ROUTER, "0.0.0.0/0", "10.1.2.5");
        Await.until("the resync after reconnect", WAIT, () -> LISTED.equals(server.routeList(ROUTER)));
        assertEquals(4, server.rowsOwnedBy(OvnOptions.DEFAULT_OWNER), "one row per next hop, no duplicates");
    }
}
