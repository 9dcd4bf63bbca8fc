package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static io.cairn.node.bgp.wire.NotificationCode.ATTRIBUTE_LENGTH_ERROR;
import static io.cairn.node.bgp.wire.NotificationCode.OPTIONAL_ATTRIBUTE_ERROR;

/**
 * MP_REACH_NLRI and MP_UNREACH_NLRI values (RFC 4760 3, 4) for the unicast IP families. Any
 * error here is a session reset (RFC 7606 3.j, 5.3, 7.11): with the next hop or the NLRI in
 * doubt no prefix can be trusted; RFC 4760 7 names the subcode, Optional Attribute Error.
 */
final class MultiprotocolCodec {

    /** AFI, SAFI, next hop length and the reserved octet (RFC 4760 3; RFC 7606 5.3). */
    static final int MIN_REACH_LENGTH = 5;
    /** AFI and SAFI (RFC 4760 4; RFC 7606 5.3). */
    static final int MIN_UNREACH_LENGTH = 3;

    private MultiprotocolCodec() {
    }

    /** The AFI/SAFI at the start of either attribute, which must be at least {@code minLength} long. */
    static AddressFamily family(ByteBuf value, int minLength) throws MalformedValue {
        if (value.readableBytes() < minLength) {
            throw new MalformedValue(ATTRIBUTE_LENGTH_ERROR,
                    "length " + value.readableBytes() + ", at least " + minLength + " expected");
        }
        int at = value.readerIndex();
        return new AddressFamily(value.getUnsignedShort(at), value.getUnsignedByte(at + 2));
    }

    static PathAttribute.MpReachNlri decodeReach(ByteBuf value, AddressFamily family) throws MalformedValue {
        value.skipBytes(3);
        int nextHopLength = value.readUnsignedByte();
        if (nextHopLength + 1 > value.readableBytes()) {
            throw new MalformedValue(OPTIONAL_ATTRIBUTE_ERROR, "next hop of " + nextHopLength + " octets overruns the attribute");
        }
        List<InetAddress> nextHops = decodeNextHops(value.readSlice(nextHopLength), family);
        value.skipBytes(1); // reserved (RFC 4760 3: ignored on receipt)
        List<Prefix> nlri = NlriCodec.decode(value, family.addressLength(), OPTIONAL_ATTRIBUTE_ERROR);
        return new PathAttribute.MpReachNlri(family, nextHops, nlri);
    }

    static PathAttribute.MpUnreachNlri decodeUnreach(ByteBuf value, AddressFamily family) throws MalformedValue {
        value.skipBytes(3);
        return new PathAttribute.MpUnreachNlri(family,
                NlriCodec.decode(value, family.addressLength(), OPTIONAL_ATTRIBUTE_ERROR));
    }

    /**
     * IPv4: one 4-octet address. IPv6: a global address of 16 octets, optionally followed by a
     * link-local one (RFC 2545 3). Anything else is inconsistent with the AFI (RFC 7606 7.11);
     * IPv6 next hops for IPv4 need RFC 8950's capability, which Cairn does not offer.
     */
    private static List<InetAddress> decodeNextHops(ByteBuf in, AddressFamily family) throws MalformedValue {
        int length = in.readableBytes();
        try {
            if (family.addressLength() == 4 && length == 4) {
                byte[] a = new byte[4];
                in.readBytes(a);
                return List.of(InetAddress.getByAddress(a));
            }
            if (family.addressLength() == 16 && (length == 16 || length == 32)) {
                byte[] global = new byte[16];
                in.readBytes(global);
                if (length == 16) {
                    return List.of(ipv6(global));
                }
                byte[] linkLocal = new byte[16];
                in.readBytes(linkLocal);
                return List.of(ipv6(global), ipv6(linkLocal));
            }
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // lengths checked above
        }
        throw new MalformedValue(OPTIONAL_ATTRIBUTE_ERROR, "next hop of " + length + " octets for " + family);
    }

    /** Always an Inet6Address, also for IPv4-mapped addresses (InetAddress would make those IPv4). */
    private static InetAddress ipv6(byte[] address) throws UnknownHostException {
        return Inet6Address.getByAddress(null, address, -1);
    }

    static void encodeReach(PathAttribute.MpReachNlri reach, ByteBuf out) {
        AddressFamily family = reach.family();
        out.writeShort(family.afi()).writeByte(family.safi());
        int lengthAt = out.writerIndex();
        out.writeByte(0);
        for (InetAddress nextHop : reach.nextHops()) {
            writeAddress(nextHop, family.addressLength(), out);
        }
        out.setByte(lengthAt, out.writerIndex() - lengthAt - 1);
        out.writeByte(0); // reserved
        NlriCodec.encode(reach.nlri(), family.addressLength(), out);
    }

    static void encodeUnreach(PathAttribute.MpUnreachNlri unreach, ByteBuf out) {
        out.writeShort(unreach.family().afi()).writeByte(unreach.family().safi());
        NlriCodec.encode(unreach.withdrawn(), unreach.family().addressLength(), out);
    }

    /** An IPv4 address in an IPv6 next hop field is written IPv4-mapped (::ffff:a.b.c.d). */
    private static void writeAddress(InetAddress address, int octets, ByteBuf out) {
        byte[] a = address.getAddress();
        if (a.length == octets) {
            out.writeBytes(a);
        } else if (octets == 16 && address instanceof Inet4Address) {
            out.writeZero(10).writeShort(0xFFFF).writeBytes(a);
        } else {
            throw new IllegalArgumentException("next hop " + address.getHostAddress() + " in a field of " + octets + " octets");
        }
    }
}
