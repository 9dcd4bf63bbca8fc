package io.cairn.node.bgp.wire;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.cairn.node.bgp.wire.Wire.bytes;
import static io.cairn.node.bgp.wire.Wire.concat;
import static io.cairn.node.bgp.wire.Wire.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** OPEN (RFC 4271 4.2, 6.2), capabilities (RFC 5492) and extended parameters (RFC 9072). */
class OpenCodecTest {

    /** Version 4, AS 65001, hold 90, id 192.0.2.1, then the optional parameters as given. */
    private static byte[] open(int version, int holdTime, long id, byte[] params) {
        return message(BgpMessage.OPEN, concat(bytes(version, 0xFD, 0xE9, holdTime >> 8, holdTime,
                (int) (id >> 24), (int) (id >> 16), (int) (id >> 8), (int) id, params.length), params));
    }

    private static NotificationMessage reset(byte[] message) {
        return assertThrows(BgpProtocolException.class, () -> Wire.decode(message, Negotiated.DEFAULT)).notification();
    }

    private static void assertNotification(int subcode, byte[] data, NotificationMessage n) {
        assertEquals(NotificationCode.OPEN_MESSAGE_ERROR, n.code(), n::toString);
        assertEquals(subcode, n.subcode(), n::toString);
        assertArrayEquals(data, n.data(), n::toString);
    }

    @Test
    void rfc5492_capabilitiesRoundTrip() throws BgpProtocolException {
        OpenMessage open = OpenMessage.of(4_200_000_000L, 90, 0xC0000201L, List.of(
                new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST),
                new Capability.Multiprotocol(AddressFamily.IPV6_UNICAST),
                new Capability.RouteRefresh(), new Capability.EnhancedRouteRefresh(), new Capability.ExtendedMessage(),
                new Capability.FourOctetAs(4_200_000_000L),
                new Capability.GracefulRestart(true, true, 120, List.of(
                        new Capability.GracefulRestart.Family(AddressFamily.IPV4_UNICAST, true))),
                new Capability.AddPath(List.of(new Capability.AddPath.Entry(AddressFamily.IPV6_UNICAST, 3))),
                new Capability.Unknown(73, bytes(1, 2, 3))));
        OpenMessage decoded = (OpenMessage) Wire.decode(Wire.encode(open, Negotiated.DEFAULT), Negotiated.DEFAULT);
        assertEquals(open, decoded);
        assertEquals(OpenMessage.AS_TRANS, decoded.myAutonomousSystem());
        assertEquals(4_200_000_000L, decoded.autonomousSystem());
    }

    @Test
    void rfc4271_6_2_unsupportedVersion_sendsTheVersionWeSupport() {
        assertNotification(NotificationCode.UNSUPPORTED_VERSION_NUMBER, bytes(0, 4), reset(open(3, 90, 1, new byte[0])));
    }

    @Test
    void rfc4271_6_2_holdTimeOfOneOrTwo_isUnacceptable() {
        assertNotification(NotificationCode.UNACCEPTABLE_HOLD_TIME, new byte[0], reset(open(4, 1, 1, new byte[0])));
        assertNotification(NotificationCode.UNACCEPTABLE_HOLD_TIME, new byte[0], reset(open(4, 2, 1, new byte[0])));
    }

    @Test
    void rfc6286_2_2_bgpIdentifierZero_isBad() {
        assertNotification(NotificationCode.BAD_BGP_IDENTIFIER, new byte[0], reset(open(4, 90, 0, new byte[0])));
    }

    @Test
    void rfc4271_6_2_optionalParameterOtherThanCapabilities_isUnsupported() {
        assertNotification(NotificationCode.UNSUPPORTED_OPTIONAL_PARAMETER, new byte[0],
                reset(open(4, 90, 1, bytes(1, 2, 0xAA, 0xBB))));
    }

    @Test
    void rfc5492_truncatedCapability_isUnspecificOpenError() {
        assertNotification(0, new byte[0], reset(open(4, 90, 1, bytes(2, 4, 65, 4, 0, 0))));
        assertNotification(0, new byte[0], reset(open(4, 90, 1, bytes(2, 1, 65))));
        assertNotification(0, new byte[0], reset(open(4, 90, 1, bytes(2, 6, 65, 4, 0, 0, 1))));
    }

    @Test
    void rfc9072_longCapabilitiesUseExtendedParametersBothWays() throws BgpProtocolException {
        List<Capability> many = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            many.add(new Capability.Multiprotocol(new AddressFamily(1, i)));
        }
        OpenMessage open = OpenMessage.of(65001, 90, 1, many);
        byte[] wire = Wire.encode(open, Negotiated.DEFAULT);
        // Non-Ext OP Len 255, Non-Ext OP Type 255, 2-octet length; parameter type 2 with a 2-octet length.
        assertArrayEquals(bytes(255, 255, 0x01, 0xA7, 2, 0x01, 0xA4), java.util.Arrays.copyOfRange(wire, 28, 35));
        assertEquals(open, Wire.decode(wire, Negotiated.DEFAULT));
    }

    @Test
    void rfc9072_extendedParametersFromAPeerDecode() throws BgpProtocolException {
        byte[] params = bytes(255, 0, 9, 2, 0, 6, 65, 4, 0, 0, 0xFD, 0xE9);
        byte[] m = message(BgpMessage.OPEN, concat(bytes(4, 0xFD, 0xE9, 0, 90, 192, 0, 2, 1, 255), params));
        OpenMessage open = (OpenMessage) Wire.decode(m, Negotiated.DEFAULT);
        assertEquals(List.of(new Capability.FourOctetAs(0xFDE9)), open.capabilities());
    }
}
