package io.cairn.sdn.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.sdn.FencedException;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.Routes;
import io.cairn.sdn.SdnException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The linux driver against a real routing table in a network namespace the test creates. */
class LinuxRouteDriverTest {

    static final RouteTable CANONICAL = Routes.of(
            "10.250.0.0/16", "10.9.0.4",
            "0.0.0.0/0", "10.9.0.5 10.9.0.6",
            "2001:db8::/32", "fd00:9::5 fd00:9::6",
            "fd01::/64", "fd00:9::4");

    private TestNamespace ns;
    private LinuxRouteDriver driver;

    @BeforeEach
    void createNamespace() {
        TestNamespace.assumeRoot();
        ns = new TestNamespace().create();
        driver = new LinuxRouteDriver(TestNamespace.TABLE, ns.name);
    }

    @AfterEach
    void deleteNamespace() {
        if (ns != null) {
            ns.delete();
        }
    }

    /** Gateways of a route in ip's own JSON, single or multipath. */
    private static Set<String> gateways(JsonNode routes, String dst) {
        for (JsonNode r : routes) {
            if (r.path("dst").asText().equals(dst)) {
                Set<String> out = new TreeSet<>();
                if (r.has("gateway")) {
                    out.add(r.get("gateway").asText());
                }
                r.path("nexthops").forEach(h -> out.add(h.get("gateway").asText()));
                return out;
            }
        }
        return Set.of();
    }

    @Test
    void programsEcmpAndIpv6WithItsOwnProtocolAndReadsThemBack() throws Exception {
        driver.apply(1, RouteDiff.between(RouteTable.EMPTY, CANONICAL));

        assertEquals(CANONICAL, driver.read());
        JsonNode v4 = ns.routes("-4", "proto 250");
        assertEquals(Set.of("10.9.0.4"), gateways(v4, "10.250.0.0/16"));
        assertEquals(Set.of("10.9.0.5", "10.9.0.6"), gateways(v4, "default"));
        JsonNode v6 = ns.routes("-6", "proto 250");
        assertEquals(Set.of("fd00:9::5", "fd00:9::6"), gateways(v6, "2001:db8::/32"));
        assertEquals(Set.of("fd00:9::4"), gateways(v6, "fd01::/64"));
    }

    @Test
    void replacesNextHopSetsWholeAndDeletesRemovedPrefixes() throws Exception {
        driver.apply(1, RouteDiff.between(RouteTable.EMPTY, CANONICAL));
        RouteTable next = Routes.of(
                "10.250.0.0/16", "10.9.0.4 10.9.0.7",
                "0.0.0.0/0", "10.9.0.6",
                "2001:db8::/32", "fd00:9::6");

        driver.apply(1, RouteDiff.between(CANONICAL, next));

        assertEquals(next, driver.read());
        assertEquals(Set.of("fd00:9::6"), gateways(ns.routes("-6", "proto 250"), "2001:db8::/32"));
        assertEquals(Set.of(), gateways(ns.routes("-6", ""), "fd01::/64"));
        assertEquals(Set.of("10.9.0.4", "10.9.0.7"), gateways(ns.routes("-4", ""), "10.250.0.0/16"));
    }

    @Test
    void routesOfOtherProtocolsAndTablesAreNeverTouched() throws Exception {
        ns.ip("route add 10.7.0.0/16 via 10.9.0.9 table 100 proto static");
        ns.ip("route add 10.8.0.0/16 via 10.9.0.9 table 100 proto 250 metric 0 table 101");
        ns.ip("-6 route add fd02::/64 via fd00:9::9 table 100 proto bird");
        driver.apply(1, RouteDiff.between(RouteTable.EMPTY, CANONICAL));
        assertEquals(CANONICAL, driver.read(), "other protocols and tables are not Cairn's");

        // Cairn now wants 10.7.0.0/16 too, which a static route holds: refused, the rest applied.
        RouteTable wanted = Routes.of("10.7.0.0/16", "10.9.0.4", "10.250.0.0/16", "10.9.0.5");
        SdnException e = assertThrows(SdnException.class,
                () -> driver.apply(1, RouteDiff.between(CANONICAL, wanted)));

        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("10.7.0.0/16: the table holds a route of protocol 4"), e.getMessage());
        assertEquals(Routes.of("10.250.0.0/16", "10.9.0.5"), driver.read());
        assertEquals(Set.of("10.9.0.9"), gateways(ns.routes("-4", "proto static"), "10.7.0.0/16"));
        assertEquals(Set.of("fd00:9::9"), gateways(ns.routes("-6", "proto bird"), "fd02::/64"));
        assertEquals(Set.of("10.9.0.9"), gateways(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                ns.ip("-json route show table 101")), "10.8.0.0/16"));
    }

    @Test
    void aLowerEpochIsFencedByTheMarkerRoute() throws Exception {
        driver.apply(5, RouteDiff.between(RouteTable.EMPTY, CANONICAL));
        LinuxRouteDriver oldLeader = new LinuxRouteDriver(TestNamespace.TABLE, ns.name);

        FencedException e = assertThrows(FencedException.class,
                () -> oldLeader.apply(4, new RouteDiff(Map.of(), Set.of(IpPrefix.parse("0.0.0.0/0")))));

        assertEquals(5, e.storedEpoch());
        assertEquals(CANONICAL, driver.read());
        JsonNode markers = ns.routes("-6", "proto 250 type blackhole");
        assertEquals(1, markers.size());
        assertEquals("100::5", markers.get(0).get("dst").asText());

        driver.apply(7, RouteDiff.between(CANONICAL, CANONICAL));
        markers = ns.routes("-6", "proto 250 type blackhole");
        assertEquals(1, markers.size(), "the old marker is gone: " + markers);
        assertEquals("100::7", markers.get(0).get("dst").asText());
        assertThrows(FencedException.class, () -> driver.apply(6, RouteDiff.between(CANONICAL, RouteTable.EMPTY)));
    }

    @Test
    void anUnreachableNextHopIsRetryableAndDoesNotBlockTheOthers() throws Exception {
        RouteTable wanted = Routes.of("10.250.0.0/16", "10.99.0.4", "0.0.0.0/0", "10.9.0.5");

        SdnException e = assertThrows(SdnException.class,
                () -> driver.apply(1, RouteDiff.between(RouteTable.EMPTY, wanted)));

        assertTrue(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains("10.250.0.0/16 via 10.99.0.4"), e.getMessage());
        assertEquals(Routes.of("0.0.0.0/0", "10.9.0.5"), driver.read());
    }

    @Test
    void aMissingNamespaceIsANonRetryableErrorNamingIt() {
        ns.delete();

        SdnException e = assertThrows(SdnException.class, driver::read);

        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("Cannot open network namespace \"" + ns.name + "\""), e.getMessage());
    }
}
