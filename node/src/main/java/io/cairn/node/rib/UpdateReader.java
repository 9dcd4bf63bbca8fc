package io.cairn.node.rib;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.MessageHeader;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import org.agrona.collections.LongArrayList;

/**
 * A flyweight over one normalized UPDATE ({@link io.cairn.node.journal.NormalizedUpdate}) where the
 * journal tailer holds it: finds the fields and the NEXT_HOP and MP attributes in place and turns
 * prefix fields into RIB keys, so no object is built per NLRI. The octets were validated on the
 * session's event loop; this trusts them. Reused for every UPDATE; owned by the RIB thread.
 */
final class UpdateReader {

    private byte[] m;
    private int withdrawnFrom;
    private int withdrawnTo;
    private int attributesFrom;
    private int attributesTo;
    private int nlriFrom;
    private int nlriTo;
    /** Offsets of the attribute values, -1 when absent. */
    private int nextHopAt;
    private int reachAt;
    private int reachTo;
    private int unreachAt;
    private int unreachTo;

    void wrap(byte[] message) {
        wrap(message, 0, message.length);
    }

    /** Reads the message in {@code array[offset, offset+messageLength)}. */
    void wrap(byte[] array, int offset, int messageLength) {
        m = array;
        int at = offset + MessageHeader.LENGTH;
        withdrawnFrom = at + 2;
        withdrawnTo = withdrawnFrom + u16(at);
        attributesFrom = withdrawnTo + 2;
        attributesTo = attributesFrom + u16(withdrawnTo);
        nlriFrom = attributesTo;
        nlriTo = offset + messageLength;
        nextHopAt = -1;
        reachAt = -1;
        unreachAt = -1;
        for (int a = attributesFrom; a < attributesTo; ) {
            int flags = m[a] & 0xFF;
            int type = m[a + 1] & 0xFF;
            boolean extended = (flags & PathAttribute.FLAG_EXTENDED_LENGTH) != 0;
            int length = extended ? u16(a + 2) : m[a + 2] & 0xFF;
            int value = a + (extended ? 4 : 3);
            if (type == PathAttribute.NEXT_HOP) {
                nextHopAt = value;
            } else if (type == PathAttribute.MP_REACH_NLRI) {
                reachAt = value;
                reachTo = value + length;
            } else if (type == PathAttribute.MP_UNREACH_NLRI) {
                unreachAt = value;
                unreachTo = value + length;
            }
            a = value + length;
        }
    }

    /** Keys of the classic withdrawn routes field (IPv4 unicast). */
    void withdrawn(PrefixKeys keys, LongArrayList out) {
        prefixes(withdrawnFrom, withdrawnTo, 4, keys, out);
    }

    /** Keys of the classic NLRI field (IPv4 unicast). */
    void nlri(PrefixKeys keys, LongArrayList out) {
        prefixes(nlriFrom, nlriTo, 4, keys, out);
    }

    /** The unicast family of MP_UNREACH_NLRI, or null when absent or of another family. */
    AddressFamily unreachFamily() {
        return unreachAt < 0 ? null : unicast(unreachAt);
    }

    void mpWithdrawn(PrefixKeys keys, LongArrayList out) {
        prefixes(unreachAt + 3, unreachTo, unreachFamily().addressLength(), keys, out);
    }

    /** The unicast family of MP_REACH_NLRI, or null when absent or of another family. */
    AddressFamily reachFamily() {
        return reachAt < 0 ? null : unicast(reachAt);
    }

    void mpNlri(PrefixKeys keys, LongArrayList out) {
        int nextHopLength = m[reachAt + 3] & 0xFF;
        prefixes(reachAt + 4 + nextHopLength + 1, reachTo, reachFamily().addressLength(), keys, out);
    }

    /**
     * Writes the interning key of the attribute set of the classic NLRI (its NEXT_HOP) or of
     * MP_REACH_NLRI (its first next hop: the global address when a link-local one follows) into
     * {@code out}; returns its length. See {@link AttributeSets#intern(byte[], int)}.
     */
    int attributeKey(boolean multiprotocol, byte[] out) {
        int from;
        int n;
        if (multiprotocol) {
            from = reachAt + 4;
            n = Math.min(m[reachAt + 3] & 0xFF, 16);
        } else {
            from = nextHopAt;
            n = nextHopAt < 0 ? 0 : 4;
        }
        out[0] = (byte) n;
        System.arraycopy(m, Math.max(from, 0), out, 1, n);
        int length = 1 + n;
        for (int a = attributesFrom; a < attributesTo; ) {
            int flags = m[a] & 0xFF;
            int type = m[a + 1] & 0xFF;
            boolean extended = (flags & PathAttribute.FLAG_EXTENDED_LENGTH) != 0;
            int end = a + (extended ? 4 + u16(a + 2) : 3 + (m[a + 2] & 0xFF));
            if (type != PathAttribute.NEXT_HOP && type != PathAttribute.MP_REACH_NLRI
                    && type != PathAttribute.MP_UNREACH_NLRI) {
                System.arraycopy(m, a, out, length, end - a);
                length += end - a;
            }
            a = end;
        }
        return length;
    }

    /** The largest key {@link #attributeKey} can write for the current message. */
    int maxKeyLength() {
        return 1 + 16 + attributesTo - attributesFrom;
    }

    private AddressFamily unicast(int at) {
        int afi = u16(at);
        int safi = m[at + 2] & 0xFF;
        if (safi != AddressFamily.SAFI_UNICAST || (afi != AddressFamily.AFI_IPV4 && afi != AddressFamily.AFI_IPV6)) {
            return null;
        }
        return afi == AddressFamily.AFI_IPV4 ? AddressFamily.IPV4_UNICAST : AddressFamily.IPV6_UNICAST;
    }

    private void prefixes(int from, int to, int addressOctets, PrefixKeys keys, LongArrayList out) {
        for (int at = from; at < to; ) {
            int length = m[at++] & 0xFF;
            int octets = (length + 7) >>> 3;
            if (addressOctets == 4) {
                long address = 0;
                for (int i = 0; i < 4; i++) {
                    address = address << 8 | (i < octets ? m[at + i] & 0xFF : 0);
                }
                long mask = length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
                out.addLong(PrefixKeys.ipv4(address & mask, length));
            } else {
                byte[] address = new byte[16];
                System.arraycopy(m, at, address, 0, octets);
                out.addLong(keys.key(Prefix.of(address, length)));
            }
            at += octets;
        }
    }

    private int u16(int at) {
        return (m[at] & 0xFF) << 8 | m[at + 1] & 0xFF;
    }
}
