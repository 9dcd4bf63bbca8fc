package io.cairn.node.bgp.wire;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

import static io.cairn.node.bgp.wire.Wire.attribute;
import static io.cairn.node.bgp.wire.Wire.bytes;
import static io.cairn.node.bgp.wire.Wire.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** 4-octet AS numbers towards and from peers without them (RFC 6793 4.2.2, 4.2.3, 6). */
class Rfc6793Test {

    private static final byte[] NLRI = bytes(16, 10, 1);
    private final Wire.Reports reports = new Wire.Reports();

    private static byte[] head() {
        return concat(attribute(0x40, 1, 0));
    }

    private static byte[] tail() {
        return attribute(0x40, 3, 192, 0, 2, 1);
    }

    /** AS_PATH of one 2-octet AS_SEQUENCE. */
    private static byte[] asPath2(int... asns) {
        byte[] v = new byte[2 + 2 * asns.length];
        v[0] = 2;
        v[1] = (byte) asns.length;
        for (int i = 0; i < asns.length; i++) {
            v[2 + 2 * i] = (byte) (asns[i] >> 8);
            v[3 + 2 * i] = (byte) asns[i];
        }
        return v;
    }

    /** AS4_PATH of one AS_SEQUENCE. */
    private static byte[] as4Path(long... asns) {
        byte[] v = new byte[2 + 4 * asns.length];
        v[0] = 2;
        v[1] = (byte) asns.length;
        for (int i = 0; i < asns.length; i++) {
            for (int k = 0; k < 4; k++) {
                v[2 + 4 * i + k] = (byte) (asns[i] >> (24 - 8 * k));
            }
        }
        return v;
    }

    private String pathOf(byte[] attrs) throws BgpProtocolException {
        UpdateMessage u = (UpdateMessage) Wire.decode(Wire.update(concat(head(), attrs, tail()), NLRI), Wire.EXTERNAL_AS2, reports);
        return u.attribute(PathAttribute.AsPath.class).orElseThrow().toString();
    }

    @Test
    void section4_2_3_leadingAsPathPrependedToAs4Path() throws BgpProtocolException {
        // An OLD speaker (AS 100) prepended itself to AS_PATH only.
        byte[] attrs = concat(attribute(0x40, 2, asPath2(100, 200, 23456)), attribute(0xC0, 17, as4Path(200, 4_200_000_000L)));
        assertEquals("100 200 4200000000", pathOf(attrs));
    }

    @Test
    void section4_2_3_as4PathLongerThanAsPath_isIgnored() throws BgpProtocolException {
        byte[] attrs = concat(attribute(0x40, 2, asPath2(100)), attribute(0xC0, 17, as4Path(70000, 70001)));
        assertEquals("100", pathOf(attrs));
        assertEquals(List.of(), reports.seen);
    }

    @Test
    void section4_2_3_aggregatorOtherThanAsTrans_meansAs4AttributesAreIgnored() throws BgpProtocolException {
        byte[] attrs = concat(attribute(0x40, 2, asPath2(100, 23456)), attribute(0xC0, 7, 0, 100, 10, 0, 0, 1),
                attribute(0xC0, 17, as4Path(100, 70000)), attribute(0xC0, 18, 0, 1, 0x11, 0x70, 10, 0, 0, 2));
        UpdateMessage u = (UpdateMessage) Wire.decode(Wire.update(concat(head(), attrs, tail()), NLRI), Wire.EXTERNAL_AS2);
        assertEquals("100 23456", u.attribute(PathAttribute.AsPath.class).orElseThrow().toString());
        assertEquals(100, u.attribute(PathAttribute.Aggregator.class).orElseThrow().asn());
    }

    @Test
    void section4_2_3_aggregatorAsTrans_takesAs4Aggregator() throws BgpProtocolException {
        byte[] attrs = concat(attribute(0x40, 2, asPath2(23456)), attribute(0xC0, 7, 0x5B, 0xA0, 10, 0, 0, 1),
                attribute(0xC0, 17, as4Path(70000)), attribute(0xC0, 18, 0, 1, 0x11, 0x70, 10, 0, 0, 2));
        UpdateMessage u = (UpdateMessage) Wire.decode(Wire.update(concat(head(), attrs, tail()), NLRI), Wire.EXTERNAL_AS2);
        assertEquals("70000", u.attribute(PathAttribute.AsPath.class).orElseThrow().toString());
        assertEquals(new PathAttribute.Aggregator(70000, ipv4(10, 0, 0, 2)),
                u.attribute(PathAttribute.Aggregator.class).orElseThrow());
    }

    @Test
    void section4_2_3_leadingConfederationSegmentIsKept() throws BgpProtocolException {
        byte[] asPath = concat(bytes(3, 1, 0xFD, 0xE8), asPath2(23456));
        byte[] attrs = concat(attribute(0x40, 2, asPath), attribute(0xC0, 17, as4Path(70000)));
        UpdateMessage u = (UpdateMessage) Wire.decode(Wire.update(concat(head(), attrs, tail()), NLRI), Wire.INTERNAL_AS2);
        assertEquals("(65000) 70000", u.attribute(PathAttribute.AsPath.class).orElseThrow().toString());
    }

    @Test
    void section6_malformedAs4PathOrAs4Aggregator_isDiscardedAndAsPathUsed() throws BgpProtocolException {
        byte[] attrs = concat(attribute(0x40, 2, asPath2(100, 23456)), attribute(0xC0, 17, 2, 2, 0, 1),
                attribute(0xC0, 18, 0, 1, 0x11));
        assertEquals("100 23456", pathOf(attrs));
        assertEquals(List.of("ATTRIBUTE_DISCARD 17", "ATTRIBUTE_DISCARD 18"), reports.seen);
    }

    @Test
    void section6_confederationSegmentsInAs4Path_areRemoved() throws BgpProtocolException {
        byte[] as4 = concat(bytes(3, 1, 0, 0, 0xFD, 0xE8), as4Path(70000));
        assertEquals("100 70000", pathOf(concat(attribute(0x40, 2, asPath2(100, 23456)), attribute(0xC0, 17, as4))));
        assertEquals(List.of("ATTRIBUTE_DISCARD 17"), reports.seen);
    }

    @Test
    void section4_2_2_largeAsnsBecomeAsTransWithAs4AttributesAdded() {
        UpdateMessage u = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(100, 70000),
                new PathAttribute.Aggregator(70000, ipv4(10, 0, 0, 1))), List.of());
        byte[] expected = Wire.update(concat(attribute(0x40, 1, 0), attribute(0x40, 2, asPath2(100, 23456)),
                attribute(0xC0, 7, 0x5B, 0xA0, 10, 0, 0, 1), attribute(0xC0, 17, as4Path(100, 70000)),
                attribute(0xC0, 18, 0, 1, 0x11, 0x70, 10, 0, 0, 1)), new byte[0]);
        assertArrayEquals(expected, Wire.encode(u, Wire.EXTERNAL_AS2));
    }

    @Test
    void section4_2_2_noAs4AttributesWhenEveryAsnFitsTwoOctets() {
        UpdateMessage u = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(100, 200), new PathAttribute.Aggregator(300, ipv4(10, 0, 0, 1))), List.of());
        byte[] expected = Wire.update(concat(attribute(0x40, 1, 0), attribute(0x40, 2, asPath2(100, 200)),
                attribute(0xC0, 7, 1, 0x2C, 10, 0, 0, 1)), new byte[0]);
        assertArrayEquals(expected, Wire.encode(u, Wire.EXTERNAL_AS2));
    }

    private static Inet4Address ipv4(int... a) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes(a));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
