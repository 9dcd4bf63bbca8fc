package io.cairn.node.rib;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.journal.NormalizedUpdate;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compact RIB's input side: UPDATE octets walked in place, attribute sets interned by octets. */
class AttributeSetsTest {

    private final AttributeSets sets = new AttributeSets();
    private final PrefixKeys keys = new PrefixKeys();
    private final UpdateReader reader = new UpdateReader();

    private static List<PathAttribute> attributes(String nextHop, long... asPath) throws Exception {
        return new ArrayList<>(List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(asPath),
                new PathAttribute.NextHop((java.net.Inet4Address) InetAddress.getByName(nextHop))));
    }

    private int intern(UpdateMessage u, boolean multiprotocol) {
        reader.wrap(NormalizedUpdate.encode(u));
        byte[] key = new byte[reader.maxKeyLength()];
        return sets.intern(key, reader.attributeKey(multiprotocol, key));
    }

    @Test
    void updatesWithTheSameAttributesShareOneSetWhateverTheirPrefixes() throws Exception {
        int a = intern(new UpdateMessage(List.of(), attributes("10.0.0.1", 65001), List.of(Prefix.parse("20.0.0.0/24"))), false);
        int b = intern(new UpdateMessage(List.of(), attributes("10.0.0.1", 65001), List.of(Prefix.parse("20.0.1.0/24"))), false);
        int otherHop = intern(new UpdateMessage(List.of(), attributes("10.0.0.2", 65001), List.of(Prefix.parse("20.0.0.0/24"))), false);
        assertEquals(a, b);
        assertNotEquals(a, otherHop, "the next hop is part of the set");
        assertEquals(InetAddress.getByName("10.0.0.1"), sets.get(a).nextHop);
        assertEquals(2, sets.size());
    }

    @Test
    void aSetIsFreedWithItsLastReferenceAndItsIdReused() throws Exception {
        int a = intern(new UpdateMessage(List.of(), attributes("10.0.0.1", 65001), List.of(Prefix.parse("20.0.0.0/24"))), false);
        sets.retain(a);
        sets.release(a);
        assertEquals(1, sets.size(), "still held by the path");
        sets.release(a);
        assertEquals(0, sets.size());
        int b = intern(new UpdateMessage(List.of(), attributes("10.0.0.9", 65009), List.of(Prefix.parse("20.0.0.0/24"))), false);
        assertEquals(a, b, "the freed id is reused");
        assertEquals(List.of(65009L), sets.get(b).attributes.stream().filter(x -> x instanceof PathAttribute.AsPath)
                .map(x -> ((PathAttribute.AsPath) x).firstAs()).toList());
    }

    @Test
    void parsedFactsAreWhatTheDecisionReads() throws Exception {
        List<PathAttribute> withSet = new ArrayList<>(List.of(new PathAttribute.Origin(PathAttribute.Origin.EGP),
                new PathAttribute.AsPath(List.of(new PathAttribute.Segment(PathAttribute.Segment.AS_SEQUENCE, new long[] {65001, 7}),
                        new PathAttribute.Segment(PathAttribute.Segment.AS_SET, new long[] {1, 2, 3}))),
                new PathAttribute.MultiExitDisc(30),
                new PathAttribute.NextHop((java.net.Inet4Address) InetAddress.getByName("10.0.0.1"))));
        RouteFacts f = sets.get(intern(new UpdateMessage(List.of(), withSet, List.of(Prefix.parse("20.0.0.0/24"))), false)).facts;
        assertEquals(3, f.asPathLength(), "an AS_SET counts 1 (RFC 4271 9.1.2.2 a)");
        assertEquals(DecisionProcess.DEFAULT_LOCAL_PREF, f.localPref());
        assertEquals(PathAttribute.Origin.EGP, f.origin());
        assertEquals(30, f.med());
        assertEquals(65001, f.neighbourAs());
        assertTrue(f.pathContains(2));
        assertFalse(f.pathContains(65515));
    }

    @Test
    void theReaderFindsEveryPrefixInPlace() throws Exception {
        List<PathAttribute> mp = new ArrayList<>(attributes("10.0.0.1", 65001));
        mp.add(new PathAttribute.MpReachNlri(AddressFamily.IPV6_UNICAST, List.of(InetAddress.getByName("2001:db8::1")),
                List.of(Prefix.parse("2001:db8:1::/48"))));
        mp.add(new PathAttribute.MpUnreachNlri(AddressFamily.IPV6_UNICAST, List.of(Prefix.parse("2001:db8:2::/48"))));
        UpdateMessage u = new UpdateMessage(List.of(Prefix.parse("30.0.0.0/8")), mp,
                List.of(Prefix.parse("20.0.0.0/24"), Prefix.parse("0.0.0.0/0"), Prefix.parse("20.1.2.3/32")));
        reader.wrap(NormalizedUpdate.encode(u));
        LongArrayList out = new LongArrayList();
        reader.withdrawn(keys, out);
        reader.mpWithdrawn(keys, out);
        assertEquals(List.of(Prefix.parse("30.0.0.0/8"), Prefix.parse("2001:db8:2::/48")), prefixes(out));
        out.clear();
        reader.nlri(keys, out);
        reader.mpNlri(keys, out);
        assertEquals(List.of(Prefix.parse("20.0.0.0/24"), Prefix.parse("0.0.0.0/0"), Prefix.parse("20.1.2.3/32"),
                Prefix.parse("2001:db8:1::/48")), prefixes(out));
        byte[] key = new byte[reader.maxKeyLength()];
        assertEquals(InetAddress.getByName("2001:db8::1"), sets.get(sets.intern(key, reader.attributeKey(true, key))).nextHop);
    }

    private List<Prefix> prefixes(LongArrayList list) {
        List<Prefix> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(keys.prefix(list.getLong(i)));
        }
        return out;
    }
}
