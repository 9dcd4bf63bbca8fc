package io.cairn.node.rib;

import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** RFC 4271 9.1.2, one test per step and tie-break, and the ECMP set that ties down to MED. */
class DecisionProcessTest {

    private static final Prefix P = Prefix.parse("10.250.0.0/16");
    private final DecisionProcess multipath = DecisionProcess.DEFAULT;
    private final DecisionProcess single = new DecisionProcess(false, false);

    /** A path from peer 10.0.0.{n} (BGP Identifier n unless given), eBGP unless said otherwise. */
    private static final class PathBuilder {
        private final int n;
        private long bgpId;
        private boolean external = true;
        private final List<PathAttribute> attributes = new ArrayList<>();
        private long[] asPath;

        PathBuilder(int n, long... asPath) {
            this.n = n;
            this.bgpId = n;
            this.asPath = asPath;
        }

        PathBuilder localPref(long v) {
            attributes.add(new PathAttribute.LocalPref(v));
            return this;
        }

        PathBuilder origin(int v) {
            attributes.add(new PathAttribute.Origin(v));
            return this;
        }

        PathBuilder med(long v) {
            attributes.add(new PathAttribute.MultiExitDisc(v));
            return this;
        }

        PathBuilder bgpId(long id) {
            bgpId = id;
            return this;
        }

        PathBuilder internal() {
            external = false;
            return this;
        }

        Path build() {
            List<PathAttribute> all = new ArrayList<>(attributes);
            if (all.stream().noneMatch(a -> a instanceof PathAttribute.Origin)) {
                all.add(new PathAttribute.Origin(PathAttribute.Origin.IGP));
            }
            all.add(PathAttribute.AsPath.sequence(asPath));
            InetAddress addr = ip(n);
            return new Path(new PathSource("nva" + n, addr, asPath.length > 0 ? asPath[0] : 65515, bgpId, external),
                    P, addr, all);
        }
    }

    private static PathBuilder from(int n, long... asPath) {
        return new PathBuilder(n, asPath);
    }

    private static InetAddress ip(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) n});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private DecisionProcess.Selection select(DecisionProcess d, Path... paths) {
        return d.select(List.of(paths));
    }

    @Test
    void noCandidatesNoSelection() {
        assertNull(multipath.select(List.of()));
    }

    @Test
    void highestLocalPrefWins_rfc4271_9_1_1() {
        Path low = from(1, 65001).localPref(100).build();
        Path high = from(2, 65002, 65002, 65002).localPref(200).build();
        assertEquals(List.of(high), select(multipath, low, high).ecmp());
    }

    @Test
    void shortestAsPathWins_rfc4271_9_1_2_2_a() {
        Path shorter = from(2, 65002).build();
        Path longer = from(1, 65001, 65001).build();
        assertEquals(shorter, select(single, longer, shorter).best());
        assertEquals(List.of(shorter), select(multipath, longer, shorter).ecmp());
    }

    @Test
    void asSetCountsOne_rfc4271_9_1_2_2_a() {
        Path withSet = new Path(new PathSource("nva1", ip(1), 65001, 1, true), P, ip(1), List.of(
                new PathAttribute.Origin(0),
                new PathAttribute.AsPath(List.of(new PathAttribute.Segment(PathAttribute.Segment.AS_SEQUENCE, new long[] {65001}),
                        new PathAttribute.Segment(PathAttribute.Segment.AS_SET, new long[] {1, 2, 3, 4})))));
        Path three = from(2, 65002, 7, 8).build();
        assertEquals(withSet, select(single, three, withSet).best());
    }

    @Test
    void lowestOriginWins_rfc4271_9_1_2_2_b() {
        Path incomplete = from(1, 65001).origin(PathAttribute.Origin.INCOMPLETE).build();
        Path egp = from(2, 65002).origin(PathAttribute.Origin.EGP).build();
        Path igp = from(3, 65003).origin(PathAttribute.Origin.IGP).build();
        assertEquals(List.of(igp), select(multipath, incomplete, egp, igp).ecmp());
    }

    @Test
    void lowerMedWinsWithinOneNeighbourAs_rfc4271_9_1_2_2_c() {
        Path med10 = from(1, 65001).med(10).build();
        Path med5 = from(2, 65001).med(5).build();
        assertEquals(List.of(med5), select(multipath, med10, med5).ecmp());
    }

    @Test
    void medIsNotComparedAcrossNeighbourAses_rfc4271_9_1_2_2_c() {
        Path med10 = from(1, 65001).med(10).build();
        Path med5 = from(2, 65002).med(5).build();
        assertEquals(List.of(med10, med5), select(multipath, med5, med10).ecmp(),
                "both stay in the ECMP set, ordered by BGP Identifier");
    }

    @Test
    void alwaysCompareMedComparesAcrossAses() {
        Path med10 = from(1, 65001).med(10).build();
        Path med5 = from(2, 65002).med(5).build();
        assertEquals(List.of(med5), new DecisionProcess(true, true).select(List.of(med10, med5)).ecmp());
    }

    @Test
    void missingMedCountsAsZero_rfc4271_9_1_2_2_c() {
        Path none = from(1, 65001).build();
        Path med1 = from(2, 65001).med(1).build();
        assertEquals(List.of(none), select(multipath, med1, none).ecmp());
    }

    @Test
    void ebgpPreferredOverIbgp_rfc4271_9_1_2_2_d() {
        Path ibgp = from(1, 65001).internal().build();
        Path ebgp = from(2, 65001).build();
        DecisionProcess.Selection s = select(multipath, ibgp, ebgp);
        assertEquals(ebgp, s.best());
        assertEquals(List.of(ebgp), s.ecmp(), "iBGP and eBGP paths never share load");
    }

    @Test
    void lowestBgpIdentifierBreaksTheTie_rfc4271_9_1_2_2_f() {
        Path id9 = from(1, 65001).bgpId(9).build();
        Path id3 = from(2, 65002).bgpId(3).build();
        assertEquals(id3, select(single, id9, id3).best());
    }

    @Test
    void lowestPeerAddressBreaksTheLastTie_rfc4271_9_1_2_2_g() {
        Path at5 = from(5, 65001).bgpId(7).build();
        Path at4 = from(4, 65002).bgpId(7).build();
        assertEquals(at4, select(single, at5, at4).best());
    }

    @Test
    void equalPathsFromTwoNvasFormAnOrderedEcmpSet() {
        Path a = from(2, 65001).build();
        Path b = from(1, 65002).build();
        Path c = from(3, 65003).build();
        DecisionProcess.Selection s = select(multipath, c, a, b);
        assertEquals(b, s.best());
        assertEquals(List.of(b, a, c), s.ecmp());
    }

    @Test
    void prependingMakesAnNvaPassiveAndRemovingItRestoresBoth() {
        Path sdwan1 = from(1, 65001).build();
        Path sdwan2Prepended = from(2, 65002, 65002, 65002).build();
        assertEquals(List.of(sdwan1), select(multipath, sdwan1, sdwan2Prepended).ecmp());
        Path sdwan2 = from(2, 65002).build();
        assertEquals(List.of(sdwan1, sdwan2), select(multipath, sdwan1, sdwan2).ecmp());
    }

    @Test
    void multipathOffGivesOnlyTheBest() {
        Path a = from(1, 65001).build();
        Path b = from(2, 65002).build();
        assertEquals(List.of(a), select(single, b, a).ecmp());
    }

    @Test
    void localVnetRouteBeatsAnyLearnedOne() {
        Path local = new Path(PathSource.LOCAL, P, null, List.of(new PathAttribute.Origin(0), PathAttribute.AsPath.sequence(65515)));
        Path learned = from(1).localPref(1_000).build();
        assertEquals(List.of(local), select(multipath, learned, local).ecmp());
    }
}
