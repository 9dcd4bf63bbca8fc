package io.cairn.node.bgp.wire;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static io.cairn.node.bgp.wire.Wire.bytes;
import static io.cairn.node.bgp.wire.Wire.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Header errors (RFC 4271 6.1) and ROUTE-REFRESH length (RFC 7313 5). */
class MessageHeaderTest {

    private static NotificationMessage reset(byte[] message, Negotiated n) {
        return assertThrows(BgpProtocolException.class, () -> Wire.decode(message, n)).notification();
    }

    private static void assertNotification(int code, int subcode, byte[] data, NotificationMessage n) {
        assertEquals(code, n.code(), n::toString);
        assertEquals(subcode, n.subcode(), n::toString);
        assertArrayEquals(data, n.data(), n::toString);
    }

    /** A message whose length field says {@code length}, with that many octets. */
    private static byte[] withLength(int type, int length) {
        byte[] m = message(type, new byte[Math.max(0, length - MessageHeader.LENGTH)]);
        m[16] = (byte) (length >> 8);
        m[17] = (byte) length;
        return m;
    }

    @Test
    void rfc4271_6_1_markerNotAllOnes_isConnectionNotSynchronized() {
        byte[] m = message(BgpMessage.KEEPALIVE, new byte[0]);
        m[5] = 0;
        assertNotification(1, 1, new byte[0], reset(m, Negotiated.DEFAULT));
    }

    @Test
    void rfc4271_6_1_lengthBelowHeader_isBadMessageLengthWithTheLength() {
        assertNotification(1, 2, bytes(0, 18), reset(withLength(BgpMessage.KEEPALIVE, 18), Negotiated.DEFAULT));
    }

    @Test
    void rfc4271_6_1_lengthAbove4096WithoutExtendedMessages_isBadMessageLength() {
        assertNotification(1, 2, bytes(0x10, 0x01), reset(withLength(BgpMessage.UPDATE, 4097), Negotiated.DEFAULT));
    }

    @Test
    void rfc8654_4_extendedMessagesExceptOpenAndKeepalive() throws BgpProtocolException {
        Negotiated extended = Wire.EXTERNAL_AS4;
        // 5,019 octets: empty withdrawn routes and attributes, then 4,996 default routes.
        byte[] big = message(BgpMessage.UPDATE, new byte[5000]);
        UpdateMessage u = (UpdateMessage) Wire.decode(big, extended, new Wire.Reports());
        assertEquals(4996, u.withdrawn().size()); // no ORIGIN: treat-as-withdraw (RFC 7606 3.d)
        assertNotification(1, 2, bytes(0x13, 0xA7), reset(withLength(BgpMessage.UPDATE, 5031), Negotiated.DEFAULT));
        assertNotification(1, 2, bytes(0x13, 0x88), reset(withLength(BgpMessage.OPEN, 5000), extended));
    }

    @Test
    void rfc4271_6_1_keepaliveWithABody_isBadMessageLength() {
        assertNotification(1, 2, bytes(0, 20), reset(withLength(BgpMessage.KEEPALIVE, 20), Negotiated.DEFAULT));
    }

    @Test
    void rfc4271_6_1_messagesShorterThanTheirMinimum_areBadMessageLength() {
        assertNotification(1, 2, bytes(0, 28), reset(withLength(BgpMessage.OPEN, 28), Negotiated.DEFAULT));
        assertNotification(1, 2, bytes(0, 22), reset(withLength(BgpMessage.UPDATE, 22), Negotiated.DEFAULT));
        assertNotification(1, 2, bytes(0, 20), reset(withLength(BgpMessage.NOTIFICATION, 20), Negotiated.DEFAULT));
    }

    @Test
    void rfc4271_6_1_unknownType_isBadMessageTypeWithTheType() {
        assertNotification(1, 3, bytes(6), reset(withLength(6, 19), Negotiated.DEFAULT));
        assertNotification(1, 3, bytes(0), reset(withLength(0, 19), Negotiated.DEFAULT));
    }

    @Test
    void rfc4271_6_1_frameLongerThanItsLengthField_isBadMessageLength() {
        byte[] m = Wire.concat(message(BgpMessage.KEEPALIVE, new byte[0]), bytes(0));
        assertNotification(1, 2, bytes(0, 19), reset(m, Negotiated.DEFAULT));
    }

    @Test
    void rfc7313_5_routeRefreshOfWrongLength_isRouteRefreshErrorWithTheWholeMessage() {
        byte[] tooLong = message(BgpMessage.ROUTE_REFRESH, bytes(0, 1, 0, 1, 0));
        assertNotification(7, 1, tooLong, reset(tooLong, Negotiated.DEFAULT));
        byte[] tooShort = message(BgpMessage.ROUTE_REFRESH, bytes(0, 1, 0));
        assertNotification(7, 1, tooShort, reset(tooShort, Negotiated.DEFAULT));
    }

    @Test
    void rfc7313_3_2_routeRefreshSubtypesDecode() throws BgpProtocolException {
        assertEquals(new RouteRefreshMessage(AddressFamily.IPV6_UNICAST, RouteRefreshMessage.BEGIN),
                Wire.decode(message(BgpMessage.ROUTE_REFRESH, bytes(0, 2, 1, 1)), Negotiated.DEFAULT));
    }

    @Test
    void checkHeader_waitsForNineteenOctetsAndConsumesNothing() throws BgpProtocolException {
        assertEquals(-1, MessageCodec.checkHeader(Unpooled.wrappedBuffer(new byte[18]), Negotiated.DEFAULT));
        var in = Unpooled.wrappedBuffer(Wire.update(new byte[0], new byte[0]));
        assertEquals(23, MessageCodec.checkHeader(in, Negotiated.DEFAULT));
        assertEquals(0, in.readerIndex());
    }

    @Test
    void encode_refusesWhatExceedsTheNegotiatedLength() {
        UpdateMessage big = new UpdateMessage(java.util.Collections.nCopies(1100, Prefix.parse("10.0.0.0/24")),
                java.util.List.of(), java.util.List.of());
        assertThrows(IllegalArgumentException.class, () -> Wire.encode(big, Negotiated.DEFAULT));
        assertEquals(4 + 4 * 1100 + 19, Wire.encode(big, Wire.EXTERNAL_AS4).length);
    }
}
