package io.cairn.node.export;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.EncodedUpdate;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IPv4 packing from prefix keys must put on the wire exactly what the Prefix-based packing
 * does: the same octets, cut into the same messages at the size limit.
 */
class UpdatePackerTest {

    private static final int[] LENGTHS = {0, 8, 17, 24, 32};

    @Test
    void keyPackingIsByteIdenticalAtTheStandardLimit() throws Exception {
        for (boolean fourOctetAs : new boolean[] {true, false}) {
            compare(new Negotiated(fourOctetAs, false, true, Set.of(AddressFamily.IPV4_UNICAST)), 5_000);
        }
    }

    @Test
    void keyPackingIsByteIdenticalAtTheExtendedLimit() throws Exception {
        compare(new Negotiated(true, true, true, Set.of(AddressFamily.IPV4_UNICAST)), 60_000);
    }

    @Test
    void aSinglePrefixIsOneMessage() throws Exception {
        Negotiated n = new Negotiated(true, false, true, Set.of(AddressFamily.IPV4_UNICAST));
        List<Prefix> one = List.of(Prefix.parse("0.0.0.0/0"));
        List<byte[]> byKey = encoded(packWithdrawals(n, one), n);
        assertEquals(1, byKey.size());
        assertArrayEquals(encode(new UpdatePacker(n).withdraw(AddressFamily.IPV4_UNICAST, one).get(0), n), byKey.get(0));
        assertEquals(List.of(), packWithdrawals(n, List.of()), "nothing to send, no message");
    }

    @Test
    void anUpdateEncodedForOneAsSizeIsNotSentOnASessionOfTheOther() throws Exception {
        Negotiated four = new Negotiated(true, false, true, Set.of(AddressFamily.IPV4_UNICAST));
        Negotiated two = new Negotiated(false, false, true, Set.of(AddressFamily.IPV4_UNICAST));
        BgpMessage m = packWithdrawals(four, List.of(Prefix.parse("10.0.0.0/8"))).get(0);
        assertThrows(IllegalArgumentException.class, () -> encode(m, two));
    }

    private static void compare(Negotiated negotiated, int count) throws Exception {
        List<Prefix> prefixes = mix(count);
        List<PathAttribute> attributes = List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(new long[] {65001, 4_200_000_001L}), new PathAttribute.MultiExitDisc(7));
        Inet4Address nextHop = (Inet4Address) InetAddress.getByName("192.0.2.1");
        int max = negotiated.maxMessageLength(BgpMessage.UPDATE);

        List<byte[]> byPrefix = new ArrayList<>();
        for (UpdateMessage m : new UpdatePacker(negotiated).announce(AddressFamily.IPV4_UNICAST, attributes, nextHop, prefixes)) {
            byPrefix.add(encode(m, negotiated));
        }
        List<BgpMessage> byKey = new ArrayList<>();
        new UpdatePacker(negotiated).announceIpv4(attributes, nextHop, keys(prefixes), byKey);
        assertSame(byPrefix, encoded(byKey, negotiated), max);

        byPrefix.clear();
        for (UpdateMessage m : new UpdatePacker(negotiated).withdraw(AddressFamily.IPV4_UNICAST, prefixes)) {
            byPrefix.add(encode(m, negotiated));
        }
        assertSame(byPrefix, encoded(packWithdrawals(negotiated, prefixes), negotiated), max);
    }

    /** Same octets, and every message but the last full: the next prefix (at most 5 octets) would not have fit. */
    private static void assertSame(List<byte[]> expected, List<byte[]> actual, int max) {
        assertTrue(expected.size() > 2, "the mix spans several messages: " + expected.size());
        assertEquals(expected.size(), actual.size(), "messages");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "message " + i);
            if (i < expected.size() - 1) {
                assertTrue(actual.get(i).length > max - 1 - 5 && actual.get(i).length <= max,
                        "message " + i + " of " + actual.get(i).length + " octets is full");
            }
        }
    }

    private static List<BgpMessage> packWithdrawals(Negotiated negotiated, List<Prefix> prefixes) {
        List<BgpMessage> out = new ArrayList<>();
        new UpdatePacker(negotiated).withdrawIpv4(keys(prefixes), out);
        return out;
    }

    /** Prefixes of every length in {@link #LENGTHS}, cycling, at random addresses (host bits cleared by Prefix.of). */
    private static List<Prefix> mix(int count) {
        Random random = new Random(4);
        List<Prefix> out = new ArrayList<>(count);
        byte[] address = new byte[4];
        for (int i = 0; i < count; i++) {
            random.nextBytes(address);
            out.add(Prefix.of(address, LENGTHS[i % LENGTHS.length]));
        }
        return out;
    }

    private static LongArrayList keys(List<Prefix> prefixes) {
        LongArrayList keys = new LongArrayList();
        for (Prefix p : prefixes) {
            keys.addLong(p.ipv4Key());
        }
        return keys;
    }

    private static List<byte[]> encoded(List<BgpMessage> messages, Negotiated negotiated) {
        List<byte[]> out = new ArrayList<>();
        for (BgpMessage m : messages) {
            assertTrue(m instanceof EncodedUpdate, "key packing yields encoded UPDATEs");
            out.add(encode(m, negotiated));
        }
        return out;
    }

    private static byte[] encode(BgpMessage m, Negotiated negotiated) {
        ByteBuf buf = Unpooled.buffer();
        MessageCodec.encode(m, negotiated, buf);
        return ByteBufUtil.getBytes(buf);
    }
}
