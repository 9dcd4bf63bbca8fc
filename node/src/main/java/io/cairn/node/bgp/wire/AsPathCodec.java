package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

import static io.cairn.node.bgp.wire.NotificationCode.MALFORMED_AS_PATH;

/**
 * AS_PATH and AS4_PATH values (RFC 4271 4.3, RFC 6793 3): segments of type, count and
 * count ASNs of 2 or 4 octets. AS numbers travel through {@link #readAsn} and {@link #writeAsn}
 * only, so the 2-octet form and AS_TRANS live in one place.
 */
final class AsPathCodec {

    /** RFC 6793 9. */
    static final long AS_TRANS = OpenMessage.AS_TRANS;

    private AsPathCodec() {
    }

    /**
     * Reads a whole AS path value. Malformed per RFC 7606 7.2: an unknown segment type, a
     * segment that overruns the value, a trailing octet (underrun) or a segment of zero ASNs.
     */
    static PathAttribute.AsPath decode(ByteBuf in, int asnOctets) throws MalformedValue {
        if (!in.isReadable()) {
            return PathAttribute.AsPath.EMPTY;
        }
        List<PathAttribute.Segment> segments = new ArrayList<>(2);
        while (in.isReadable()) {
            if (in.readableBytes() < 2) {
                throw new MalformedValue(MALFORMED_AS_PATH, "one octet left after the last segment");
            }
            int type = in.readUnsignedByte();
            int count = in.readUnsignedByte();
            if (type < PathAttribute.Segment.AS_SET || type > PathAttribute.Segment.AS_CONFED_SET) {
                throw new MalformedValue(MALFORMED_AS_PATH, "unknown segment type " + type);
            }
            if (count == 0) {
                throw new MalformedValue(MALFORMED_AS_PATH, "segment of zero ASNs");
            }
            if (count * asnOctets > in.readableBytes()) {
                throw new MalformedValue(MALFORMED_AS_PATH, "segment of " + count + " ASNs overruns the attribute");
            }
            long[] asns = new long[count];
            for (int i = 0; i < count; i++) {
                asns[i] = readAsn(in, asnOctets);
            }
            segments.add(new PathAttribute.Segment(type, asns));
        }
        return new PathAttribute.AsPath(segments);
    }

    /** Writes the segments; in 2-octet form an ASN above 65535 becomes AS_TRANS (RFC 6793 4.2.2). */
    static void encode(List<PathAttribute.Segment> segments, int asnOctets, ByteBuf out) {
        for (PathAttribute.Segment s : segments) {
            out.writeByte(s.type()).writeByte(s.size());
            for (int i = 0; i < s.size(); i++) {
                writeAsn(out, s.asn(i), asnOctets);
            }
        }
    }

    static long readAsn(ByteBuf in, int asnOctets) {
        return asnOctets == 4 ? in.readUnsignedInt() : in.readUnsignedShort();
    }

    static void writeAsn(ByteBuf out, long asn, int asnOctets) {
        if (asnOctets == 4) {
            out.writeInt((int) asn);
        } else {
            out.writeShort(isMappable(asn) ? (int) asn : (int) AS_TRANS);
        }
    }

    /** RFC 6793 2: an ASN whose high two octets are zero fits the 2-octet form. */
    static boolean isMappable(long asn) {
        return asn <= 0xFFFF;
    }
}
