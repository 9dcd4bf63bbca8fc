package io.cairn.node.rib;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.VnetConfig;
import io.cairn.node.journal.BgpRecord;
import io.cairn.node.journal.BgpRecordCodec;
import io.cairn.node.journal.NormalizedUpdate;
import io.cairn.node.journal.RecordView;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Loc-RIB events the RIB publishes per duty cycle, fed with journal records as another
 * member's sessions (which need no configured peer): one event per net change, decided on the
 * cycle's end state, ECMP over NVAs, nothing for a flap that ends where it started.
 */
class RibStateLocRibTest {

    private static final long LOCAL_AS = 65515;
    private static final Prefix VNET = Prefix.parse("10.1.0.0/16");
    private static final Prefix ON_PREM = Prefix.parse("10.250.0.0/16");
    private static final Prefix DEFAULT = Prefix.parse("0.0.0.0/0");
    private static final InetAddress SDWAN = ip("10.1.1.4");
    private static final InetAddress FIREWALL = ip("10.1.1.5");

    private final RibState rib = new RibState(LOCAL_AS, new VnetConfig(List.of(VNET), ip("10.1.0.1")),
            DecisionProcess.DEFAULT, (task, seconds) -> null, 120, a -> { }, a -> { }, a -> null);
    private final List<Map<Prefix, Set<InetAddress>>> events = new ArrayList<>();

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void apply(BgpRecord record) {
        byte[] payload = BgpRecordCodec.encode(record);
        rib.apply("node-b", new RecordView().wrap(record.type(), new UnsafeBuffer(payload), 0, payload.length));
    }

    private void up(InetAddress nva, long asn) {
        List<Capability> caps = List.of(new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST),
                new Capability.FourOctetAs(asn));
        OpenMessage local = OpenMessage.of(LOCAL_AS, 90, 0x0A010002L, List.of(
                new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(LOCAL_AS)));
        apply(BgpRecord.PeerUp.of(nva, "nva-" + asn, local, OpenMessage.of(asn, 90, asn, caps), ip("10.1.0.2")));
    }

    private void announce(InetAddress nva, long asn, int prepends, Prefix... prefixes) {
        long[] path = new long[1 + prepends];
        java.util.Arrays.fill(path, asn);
        UpdateMessage update = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(path), new PathAttribute.NextHop((Inet4Address) nva)), List.of(prefixes));
        apply(new BgpRecord.Update(nva, NormalizedUpdate.encode(update)));
    }

    private void withdraw(InetAddress nva, Prefix... prefixes) {
        apply(new BgpRecord.Update(nva, NormalizedUpdate.encode(new UpdateMessage(List.of(prefixes), List.of(), List.of()))));
    }

    /** One duty cycle: the events it published (none is an empty map). */
    private Map<Prefix, Set<InetAddress>> cycle() {
        events.clear();
        rib.decideAndExport();
        return events.isEmpty() ? Map.of() : events.get(0);
    }

    @BeforeEach
    void twoNvas() {
        rib.endReplay();
        rib.addLocRibListener(events::add);
        up(SDWAN, 65001);
        up(FIREWALL, 65002);
    }

    @Test
    void equalPathsFromTwoNvasAreOneEcmpEventAndAPrependMakesOnePassive() {
        announce(SDWAN, 65001, 0, ON_PREM);
        announce(FIREWALL, 65002, 0, ON_PREM);
        assertEquals(Map.of(ON_PREM, Set.of(SDWAN, FIREWALL)), cycle());
        announce(FIREWALL, 65002, 2, ON_PREM);
        assertEquals(Map.of(ON_PREM, Set.of(SDWAN)), cycle());
        withdraw(SDWAN, ON_PREM);
        assertEquals(Map.of(ON_PREM, Set.of(FIREWALL)), cycle());
        withdraw(FIREWALL, ON_PREM);
        assertEquals(Map.of(ON_PREM, Set.of()), cycle(), "gone: reported once, as no next hop");
        assertEquals(Map.of(), cycle());
    }

    /** An operator's query may run on the RIB thread between the records it applies and their decision. */
    @Test
    void countsTakenBeforeTheCyclesDecisionAgreeWithTheBestPaths() {
        announce(SDWAN, 65001, 0, ON_PREM);
        announce(FIREWALL, 65002, 0, ON_PREM);
        assertEquals(2, rib.best().get(ON_PREM).ecmp().size());
        assertEquals(1, rib.counts().ecmpSets(), "the ECMP set the best paths show");
        assertEquals(List.of(Map.of(ON_PREM, Set.of(SDWAN, FIREWALL))), events, "published once, by the count's decision");
        assertEquals(Map.of(), cycle(), "and not again by the cycle");
        announce(FIREWALL, 65002, 2, ON_PREM);
        assertEquals(0, rib.counts().ecmpSets(), "a prepend makes the firewall passive");
    }

    @Test
    void aFlapWithinOneCycleIsNoEventAndOneAcrossCyclesIsTwo() {
        announce(FIREWALL, 65002, 0, DEFAULT);
        assertEquals(Map.of(DEFAULT, Set.of(FIREWALL)), cycle());
        withdraw(FIREWALL, DEFAULT);
        announce(FIREWALL, 65002, 0, DEFAULT);
        announce(SDWAN, 65001, 3, DEFAULT);
        withdraw(SDWAN, DEFAULT);
        assertEquals(Map.of(), cycle(), "ends where it started: nothing for the SDN");
        withdraw(FIREWALL, DEFAULT);
        assertEquals(Map.of(DEFAULT, Set.of()), cycle());
        announce(FIREWALL, 65002, 0, DEFAULT);
        assertEquals(Map.of(DEFAULT, Set.of(FIREWALL)), cycle());
    }

    @Test
    void aListenerAddedLaterGetsThePublishedTableAndVnetPrefixesAreNeverInIt() {
        announce(SDWAN, 65001, 0, ON_PREM, Prefix.parse("10.1.2.0/24"));
        announce(FIREWALL, 65002, 0, DEFAULT);
        cycle();
        List<Map<Prefix, Set<InetAddress>>> late = new ArrayList<>();
        rib.addLocRibListener(late::add);
        assertEquals(List.of(Map.of(ON_PREM, Set.of(SDWAN), DEFAULT, Set.of(FIREWALL))), late);
    }
}
