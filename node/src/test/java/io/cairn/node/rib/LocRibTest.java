package io.cairn.node.rib;

import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Loc-RIB events for the SDN side: net changes only, ECMP next hops, never the VNet itself. */
class LocRibTest {

    private static final Prefix VNET = Prefix.parse("10.1.0.0/16");
    private static final Prefix ON_PREM = Prefix.parse("10.250.0.0/16");
    private final LocRib rib = new LocRib(DecisionProcess.DEFAULT, List.of(VNET));

    private static InetAddress ip(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {10, 1, 1, (byte) n});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Path path(Prefix p, int nva, long... asPath) {
        return new Path(new PathSource("nva" + nva, ip(nva), asPath[0], nva, true), p, ip(nva),
                List.of(new PathAttribute.Origin(0), PathAttribute.AsPath.sequence(asPath)));
    }

    @Test
    void equalPathsGiveBothNextHopsAndAPrependLeavesOne() {
        rib.update(ON_PREM, List.of(path(ON_PREM, 4, 65001), path(ON_PREM, 5, 65002)));
        assertEquals(Map.of(ON_PREM, Set.of(ip(4), ip(5))), rib.drain());
        rib.update(ON_PREM, List.of(path(ON_PREM, 4, 65001), path(ON_PREM, 5, 65002, 65002)));
        assertEquals(Map.of(ON_PREM, Set.of(ip(4))), rib.drain());
    }

    @Test
    void aFlapWithinOneBatchIsNoEvent() {
        rib.update(ON_PREM, List.of(path(ON_PREM, 4, 65001)));
        rib.drain();
        rib.update(ON_PREM, null);
        rib.update(ON_PREM, List.of(path(ON_PREM, 4, 65001)));
        assertEquals(Map.of(), rib.drain());
    }

    @Test
    void aWithdrawnPrefixIsReportedGoneOnce() {
        rib.update(ON_PREM, List.of(path(ON_PREM, 4, 65001)));
        rib.drain();
        rib.update(ON_PREM, null);
        assertEquals(Map.of(ON_PREM, Set.of()), rib.drain());
        rib.update(ON_PREM, null);
        assertEquals(Map.of(), rib.drain());
    }

    @Test
    void prefixesInsideTheVnetAreNeverForTheSdn() {
        Prefix hijack = Prefix.parse("10.1.2.0/24");
        rib.update(hijack, List.of(path(hijack, 4, 65001)));
        rib.update(VNET, List.of(path(VNET, 5, 65002)));
        assertEquals(Map.of(), rib.drain());
        assertEquals(2, rib.selections().size(), "still selected, so they show as learned and filtered");
    }
}
