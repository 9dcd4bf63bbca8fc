package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/** Capability TLVs (RFC 5492 4) and the values of those Cairn understands. */
final class CapabilityCodec {

    private CapabilityCodec() {
    }

    static Capability decode(ByteBuf in) throws BgpProtocolException {
        if (in.readableBytes() < 2) {
            throw OpenCodec.malformed("capability header cut short");
        }
        int code = in.readUnsignedByte();
        int length = in.readUnsignedByte();
        if (length > in.readableBytes()) {
            throw OpenCodec.malformed("capability " + code + " of " + length + " octets overruns its parameter");
        }
        ByteBuf v = in.readSlice(length);
        switch (code) {
            case Capability.MULTIPROTOCOL:
                expectLength(code, length, 4);
                int afi = v.readUnsignedShort();
                v.skipBytes(1); // reserved
                return new Capability.Multiprotocol(new AddressFamily(afi, v.readUnsignedByte()));
            case Capability.ROUTE_REFRESH:
                expectLength(code, length, 0);
                return new Capability.RouteRefresh();
            case Capability.ENHANCED_ROUTE_REFRESH:
                expectLength(code, length, 0);
                return new Capability.EnhancedRouteRefresh();
            case Capability.EXTENDED_MESSAGE:
                expectLength(code, length, 0);
                return new Capability.ExtendedMessage();
            case Capability.FOUR_OCTET_AS:
                expectLength(code, length, 4);
                return new Capability.FourOctetAs(v.readUnsignedInt());
            case Capability.GRACEFUL_RESTART:
                return decodeGracefulRestart(v);
            case Capability.ADD_PATH:
                return decodeAddPath(v);
            default:
                byte[] value = new byte[length];
                v.readBytes(value);
                return new Capability.Unknown(code, value);
        }
    }

    private static Capability decodeGracefulRestart(ByteBuf v) throws BgpProtocolException {
        if (v.readableBytes() < 2 || (v.readableBytes() - 2) % 4 != 0) {
            throw OpenCodec.malformed("graceful restart capability of " + v.readableBytes() + " octets");
        }
        int flagsAndTime = v.readUnsignedShort();
        List<Capability.GracefulRestart.Family> families = new ArrayList<>();
        while (v.isReadable()) {
            int afi = v.readUnsignedShort();
            int safi = v.readUnsignedByte();
            boolean forwarding = (v.readUnsignedByte() & 0x80) != 0;
            families.add(new Capability.GracefulRestart.Family(new AddressFamily(afi, safi), forwarding));
        }
        return new Capability.GracefulRestart((flagsAndTime & 0x8000) != 0, (flagsAndTime & 0x4000) != 0,
                flagsAndTime & 0x0FFF, families);
    }

    private static Capability decodeAddPath(ByteBuf v) throws BgpProtocolException {
        if (v.readableBytes() % 4 != 0) {
            throw OpenCodec.malformed("ADD-PATH capability of " + v.readableBytes() + " octets");
        }
        List<Capability.AddPath.Entry> entries = new ArrayList<>();
        while (v.isReadable()) {
            int afi = v.readUnsignedShort();
            int safi = v.readUnsignedByte();
            entries.add(new Capability.AddPath.Entry(new AddressFamily(afi, safi), v.readUnsignedByte()));
        }
        return new Capability.AddPath(entries);
    }

    private static void expectLength(int code, int actual, int expected) throws BgpProtocolException {
        if (actual != expected) {
            throw OpenCodec.malformed("capability " + code + " has length " + actual + ", expected " + expected);
        }
    }

    static void encode(Capability c, ByteBuf out) {
        out.writeByte(c.code());
        int lengthAt = out.writerIndex();
        out.writeByte(0);
        if (c instanceof Capability.Multiprotocol mp) {
            out.writeShort(mp.family().afi()).writeByte(0).writeByte(mp.family().safi());
        } else if (c instanceof Capability.FourOctetAs as4) {
            out.writeInt((int) as4.asn());
        } else if (c instanceof Capability.GracefulRestart gr) {
            out.writeShort((gr.restarting() ? 0x8000 : 0) | (gr.notification() ? 0x4000 : 0) | gr.restartTime());
            for (Capability.GracefulRestart.Family f : gr.families()) {
                out.writeShort(f.family().afi()).writeByte(f.family().safi())
                        .writeByte(f.forwardingPreserved() ? 0x80 : 0);
            }
        } else if (c instanceof Capability.AddPath ap) {
            for (Capability.AddPath.Entry e : ap.entries()) {
                out.writeShort(e.family().afi()).writeByte(e.family().safi()).writeByte(e.sendReceive());
            }
        } else if (c instanceof Capability.Unknown u) {
            out.writeBytes(u.value());
        }
        // RouteRefresh, EnhancedRouteRefresh, ExtendedMessage carry no value.
        out.setByte(lengthAt, out.writerIndex() - lengthAt - 1);
    }
}
