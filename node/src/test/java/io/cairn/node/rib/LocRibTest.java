package io.cairn.node.rib;

import io.cairn.node.bgp.wire.Prefix;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Loc-RIB events for the SDN side: net changes only, ECMP next hops, never the VNet itself. */
class LocRibTest {

    private static final Prefix VNET = Prefix.parse("10.1.0.0/16");
    private static final Prefix ON_PREM = Prefix.parse("10.250.0.0/16");
    private final PrefixKeys keys = new PrefixKeys();
    private final LocRib rib = new LocRib(keys, List.of(VNET));

    private static InetAddress ip(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {10, 1, 1, (byte) n});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Each prefix's record, where the Loc-RIB keeps what it published. */
    private final Map<Prefix, long[]> records = new HashMap<>();

    private void select(Prefix p, InetAddress... ecmp) {
        long[] r = records.computeIfAbsent(p, x -> PrefixRecord.withCandidate(PrefixRecord.EMPTY, 1L << 32, 0));
        rib.update(keys.key(p), r, rib.hopSet(List.of(ecmp)));
    }

    @Test
    void theEcmpNextHopsArePublishedAndAChangeRepublishes() {
        select(ON_PREM, ip(4), ip(5));
        assertEquals(Map.of(ON_PREM, Set.of(ip(4), ip(5))), rib.drain(true));
        select(ON_PREM, ip(4));
        assertEquals(Map.of(ON_PREM, Set.of(ip(4))), rib.drain(true));
        select(ON_PREM, ip(4));
        assertEquals(Map.of(), rib.drain(true), "the same set again is no change");
    }

    @Test
    void theRecordKeepsWhatWasPublished() {
        select(ON_PREM, ip(4), ip(5));
        assertEquals(Set.of(ip(4), ip(5)), rib.hops(PrefixRecord.published(records.get(ON_PREM))));
        rib.drain(false);
        select(ON_PREM, ip(4), ip(5));
        assertEquals(Map.of(), rib.drain(true), "published before, even though not reported");
    }

    @Test
    void aWithdrawnPrefixIsReportedGoneOnce() {
        select(ON_PREM, ip(4));
        rib.drain(true);
        select(ON_PREM);
        assertEquals(Map.of(ON_PREM, Set.of()), rib.drain(true));
        select(ON_PREM);
        assertEquals(Map.of(), rib.drain(true));
    }

    @Test
    void prefixesInsideTheVnetAreNeverForTheSdn() {
        Prefix hijack = Prefix.parse("10.1.2.0/24");
        select(hijack, ip(4));
        select(VNET, ip(5));
        select(Prefix.parse("10.0.0.0/8"), ip(6));
        assertEquals(Map.of(Prefix.parse("10.0.0.0/8"), Set.of(ip(6))), rib.drain(true),
                "only the covering prefix, which does not hijack the VNet");
    }
}
