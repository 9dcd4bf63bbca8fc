package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;

import java.util.List;

import io.cairn.node.bgp.wire.PathAttribute.Aggregator;
import io.cairn.node.bgp.wire.PathAttribute.Segment;

import static io.cairn.node.bgp.wire.PathAttribute.AS4_AGGREGATOR;
import static io.cairn.node.bgp.wire.PathAttribute.AS4_PATH;
import static io.cairn.node.bgp.wire.PathAttribute.FLAG_EXTENDED_LENGTH;
import static io.cairn.node.bgp.wire.PathAttribute.FLAG_OPTIONAL;
import static io.cairn.node.bgp.wire.PathAttribute.FLAG_TRANSITIVE;

/**
 * Writes path attributes (RFC 4271 4.3). Order: MP_REACH_NLRI and MP_UNREACH_NLRI first, as
 * RFC 7606 5.1 requires of senders, then the others by ascending type code. Towards a 2-octet
 * AS peer AS_PATH and AGGREGATOR carry AS_TRANS and AS4_PATH / AS4_AGGREGATOR are added
 * where needed (RFC 6793 4.2.2); towards an external peer LOCAL_PREF is left out (RFC 4271 5.1.5).
 */
final class AttributeEncoder {

    private AttributeEncoder() {
    }

    /** @param attributes sorted by type code, as {@link UpdateMessage} keeps them */
    static void encode(List<PathAttribute> attributes, Negotiated negotiated, ByteBuf out) {
        int asnOctets = negotiated.fourOctetAs() ? 4 : 2;
        for (PathAttribute a : attributes) {
            if (isMultiprotocol(a)) {
                write(a, asnOctets, out);
            }
        }
        boolean as4Pending = asnOctets == 2;
        for (PathAttribute a : attributes) {
            if (as4Pending && a.typeCode() > AS4_AGGREGATOR) {
                writeAs4(attributes, out);
                as4Pending = false;
            }
            boolean skip = isMultiprotocol(a) || (a instanceof PathAttribute.LocalPref && negotiated.externalPeer());
            if (!skip) {
                write(a, asnOctets, out);
            }
        }
        if (as4Pending) {
            writeAs4(attributes, out);
        }
    }

    private static boolean isMultiprotocol(PathAttribute a) {
        return a instanceof PathAttribute.MpReachNlri || a instanceof PathAttribute.MpUnreachNlri;
    }

    /** AS4_PATH, then AS4_AGGREGATOR, each only when an ASN needs 4 octets (RFC 6793 4.2.2). */
    private static void writeAs4(List<PathAttribute> attributes, ByteBuf out) {
        for (PathAttribute a : attributes) {
            if (a instanceof PathAttribute.AsPath path) {
                List<Segment> as4 = As4Attributes.as4PathFor(path);
                if (!as4.isEmpty()) {
                    int start = begin(FLAG_OPTIONAL | FLAG_TRANSITIVE, AS4_PATH, out);
                    AsPathCodec.encode(as4, 4, out);
                    end(start, out);
                }
            }
        }
        for (PathAttribute a : attributes) {
            if (a instanceof Aggregator g && !AsPathCodec.isMappable(g.asn())) {
                int start = begin(FLAG_OPTIONAL | FLAG_TRANSITIVE, AS4_AGGREGATOR, out);
                writeAggregator(g, 4, out);
                end(start, out);
            }
        }
    }

    private static void write(PathAttribute a, int asnOctets, ByteBuf out) {
        int start = begin(a.flags(), a.typeCode(), out);
        writeValue(a, asnOctets, out);
        end(start, out);
    }

    private static void writeValue(PathAttribute a, int asnOctets, ByteBuf out) {
        // Java 17: no pattern switch; the sealed interface keeps this chain complete.
        if (a instanceof PathAttribute.Origin o) {
            out.writeByte(o.value());
        } else if (a instanceof PathAttribute.AsPath p) {
            AsPathCodec.encode(p.segments(), asnOctets, out);
        } else if (a instanceof PathAttribute.NextHop h) {
            out.writeBytes(h.address().getAddress());
        } else if (a instanceof PathAttribute.MultiExitDisc m) {
            out.writeInt((int) m.value());
        } else if (a instanceof PathAttribute.LocalPref l) {
            out.writeInt((int) l.value());
        } else if (a instanceof Aggregator g) {
            writeAggregator(g, asnOctets, out);
        } else if (a instanceof PathAttribute.Communities c) {
            for (int community : c.values()) {
                out.writeInt(community);
            }
        } else if (a instanceof PathAttribute.ExtendedCommunities e) {
            for (long community : e.values()) {
                out.writeLong(community);
            }
        } else if (a instanceof PathAttribute.LargeCommunities l) {
            for (PathAttribute.LargeCommunity c : l.values()) {
                out.writeInt((int) c.global()).writeInt((int) c.local1()).writeInt((int) c.local2());
            }
        } else if (a instanceof PathAttribute.MpReachNlri r) {
            MultiprotocolCodec.encodeReach(r, out);
        } else if (a instanceof PathAttribute.MpUnreachNlri u) {
            MultiprotocolCodec.encodeUnreach(u, out);
        } else if (a instanceof PathAttribute.Unknown u) {
            out.writeBytes(u.value());
        }
        // AtomicAggregate has no value.
    }

    private static void writeAggregator(Aggregator g, int asnOctets, ByteBuf out) {
        AsPathCodec.writeAsn(out, g.asn(), asnOctets);
        out.writeBytes(g.address().getAddress());
    }

    /** Writes flags, type and room for a 2-octet length; returns where the attribute starts. */
    private static int begin(int flags, int type, ByteBuf out) {
        int start = out.writerIndex();
        out.writeByte(flags | FLAG_EXTENDED_LENGTH).writeByte(type).writeShort(0);
        return start;
    }

    /**
     * Sets the length. The Extended Length bit is kept only when the value exceeds 255 octets
     * (RFC 4271 4.3); otherwise the value moves back over the second length octet.
     */
    private static void end(int start, ByteBuf out) {
        int valueStart = start + 4;
        int length = out.writerIndex() - valueStart;
        if (length > 0xFFFF) {
            out.writerIndex(start);
            throw new IllegalArgumentException("attribute of " + length + " octets does not fit a 2-octet length");
        }
        if (length > 255) {
            out.setShort(start + 2, length);
            return;
        }
        out.setByte(start, out.getUnsignedByte(start) & ~FLAG_EXTENDED_LENGTH);
        out.setByte(start + 2, length);
        for (int i = valueStart; i < valueStart + length; i++) {
            out.setByte(i - 1, out.getByte(i));
        }
        out.writerIndex(out.writerIndex() - 1);
    }
}
