package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Prefix lists as carried in the withdrawn routes and NLRI fields (RFC 4271 4.3) and in
 * MP_REACH_NLRI / MP_UNREACH_NLRI for the unicast families (RFC 4760 5): a length in bits,
 * then just enough octets to hold it.
 */
final class NlriCodec {

    private NlriCodec() {
    }

    /**
     * Reads prefixes until {@code in} is exhausted. A length beyond the address size or a
     * prefix that overruns the field makes the whole field syntactically incorrect (RFC 7606 5.3).
     *
     * @param subcode the subcode to report the error with
     */
    static List<Prefix> decode(ByteBuf in, int addressOctets, int subcode) throws MalformedValue {
        if (!in.isReadable()) {
            return List.of();
        }
        List<Prefix> prefixes = new ArrayList<>();
        while (in.isReadable()) {
            int length = in.readUnsignedByte();
            if (length > addressOctets * 8) {
                throw new MalformedValue(subcode, "prefix length " + length + " exceeds " + addressOctets * 8);
            }
            int octets = (length + 7) >>> 3;
            if (octets > in.readableBytes()) {
                throw new MalformedValue(subcode, "prefix of length " + length + " overruns its field");
            }
            byte[] address = new byte[addressOctets];
            in.readBytes(address, 0, octets);
            prefixes.add(Prefix.of(address, length));
        }
        return prefixes;
    }

    static void encode(List<Prefix> prefixes, int addressOctets, ByteBuf out) {
        for (Prefix p : prefixes) {
            if (p.isIpv4() != (addressOctets == 4)) {
                throw new IllegalArgumentException(p + " does not belong in a field of "
                        + (addressOctets == 4 ? "IPv4" : "IPv6") + " prefixes");
            }
            out.writeByte(p.length());
            for (int i = 0, n = p.wireOctets(); i < n; i++) {
                out.writeByte(p.octet(i));
            }
        }
    }
}
