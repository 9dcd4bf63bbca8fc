package io.cairn.node.bgp.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A path attribute of an UPDATE (RFC 4271 4.3, 5), in normalized form: AS numbers are always
 * 4 octets (AS4_PATH and AS4_AGGREGATOR are merged at decode, RFC 6793 4.2.3, and produced
 * again at encode towards 2-octet peers), so the types below are all a route needs.
 */
public sealed interface PathAttribute {

    int ORIGIN = 1;
    int AS_PATH = 2;
    int NEXT_HOP = 3;
    int MULTI_EXIT_DISC = 4;
    int LOCAL_PREF = 5;
    int ATOMIC_AGGREGATE = 6;
    int AGGREGATOR = 7;
    int COMMUNITIES = 8;
    int ORIGINATOR_ID = 9;
    int CLUSTER_LIST = 10;
    int MP_REACH_NLRI = 14;
    int MP_UNREACH_NLRI = 15;
    int EXTENDED_COMMUNITIES = 16;
    int AS4_PATH = 17;
    int AS4_AGGREGATOR = 18;
    int LARGE_COMMUNITIES = 32;

    // Attribute flags (RFC 4271 4.3)
    int FLAG_OPTIONAL = 0x80;
    int FLAG_TRANSITIVE = 0x40;
    int FLAG_PARTIAL = 0x20;
    int FLAG_EXTENDED_LENGTH = 0x10;

    int typeCode();

    /** Optional/Transitive/Partial flags as sent; Extended Length is chosen by the encoder. */
    int flags();

    /** RFC 4271 5.1.1. */
    record Origin(int value) implements PathAttribute {
        public static final int IGP = 0;
        public static final int EGP = 1;
        public static final int INCOMPLETE = 2;

        public Origin {
            if (value < 0 || value > 2) {
                throw new IllegalArgumentException("ORIGIN is 0, 1 or 2, not " + value);
            }
        }

        @Override
        public int typeCode() {
            return ORIGIN;
        }

        @Override
        public int flags() {
            return FLAG_TRANSITIVE;
        }
    }

    /** RFC 4271 5.1.2, always with 4-octet ASNs here. */
    record AsPath(List<Segment> segments) implements PathAttribute {
        public static final AsPath EMPTY = new AsPath(List.of());

        public AsPath {
            segments = List.copyOf(segments);
        }

        public static AsPath sequence(long... asns) {
            return asns.length == 0 ? EMPTY : new AsPath(List.of(new Segment(Segment.AS_SEQUENCE, asns)));
        }

        /** Length for the decision process (RFC 4271 9.1.2.2 a): a set counts 1, confed segments 0 (RFC 5065 5.3). */
        public int pathLength() {
            int n = 0;
            for (Segment s : segments) {
                n += switch (s.type()) {
                    case Segment.AS_SEQUENCE -> s.size();
                    case Segment.AS_SET -> 1;
                    default -> 0;
                };
            }
            return n;
        }

        public boolean contains(long asn) {
            return segments.stream().anyMatch(s -> s.contains(asn));
        }

        /** The neighbouring AS: first ASN of a leading AS_SEQUENCE, or 0 when there is none. */
        public long firstAs() {
            return !segments.isEmpty() && segments.get(0).type() == Segment.AS_SEQUENCE
                    ? segments.get(0).asn(0) : 0;
        }

        @Override
        public int typeCode() {
            return AS_PATH;
        }

        @Override
        public int flags() {
            return FLAG_TRANSITIVE;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (Segment s : segments) {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(s);
            }
            return sb.toString();
        }
    }

    /** One AS_PATH segment (RFC 4271 4.3; confederation types from RFC 5065 3). */
    record Segment(int type, long[] asns) {
        public static final int AS_SET = 1;
        public static final int AS_SEQUENCE = 2;
        public static final int AS_CONFED_SEQUENCE = 3;
        public static final int AS_CONFED_SET = 4;

        public Segment {
            if (type < AS_SET || type > AS_CONFED_SET) {
                throw new IllegalArgumentException("unknown AS_PATH segment type " + type);
            }
            if (asns.length == 0 || asns.length > 255) {
                throw new IllegalArgumentException("a segment holds 1 to 255 ASNs, not " + asns.length);
            }
            asns = asns.clone();
        }

        public int size() {
            return asns.length;
        }

        public long asn(int i) {
            return asns[i];
        }

        @Override
        public long[] asns() {
            return asns.clone();
        }

        boolean contains(long asn) {
            for (long a : asns) {
                if (a == asn) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment s && s.type == type && Arrays.equals(s.asns, asns);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(asns);
        }

        /** birdc/gobgp style: "1 2", "{3 4}", "(5 6)", "[7 8]". */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (long a : asns) {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(a);
            }
            return switch (type) {
                case AS_SET -> "{" + sb + "}";
                case AS_CONFED_SEQUENCE -> "(" + sb + ")";
                case AS_CONFED_SET -> "[" + sb + "]";
                default -> sb.toString();
            };
        }
    }

    /** RFC 4271 5.1.3: IPv4 next hop; IPv6 next hops travel in MP_REACH_NLRI. */
    record NextHop(Inet4Address address) implements PathAttribute {
        @Override
        public int typeCode() {
            return NEXT_HOP;
        }

        @Override
        public int flags() {
            return FLAG_TRANSITIVE;
        }
    }

    /** RFC 4271 5.1.4. */
    record MultiExitDisc(long value) implements PathAttribute {
        public MultiExitDisc {
            checkU32(value, "MULTI_EXIT_DISC");
        }

        @Override
        public int typeCode() {
            return MULTI_EXIT_DISC;
        }

        @Override
        public int flags() {
            return FLAG_OPTIONAL;
        }
    }

    /** RFC 4271 5.1.5. */
    record LocalPref(long value) implements PathAttribute {
        public LocalPref {
            checkU32(value, "LOCAL_PREF");
        }

        @Override
        public int typeCode() {
            return LOCAL_PREF;
        }

        @Override
        public int flags() {
            return FLAG_TRANSITIVE;
        }
    }

    /** RFC 4271 5.1.6. */
    record AtomicAggregate() implements PathAttribute {
        @Override
        public int typeCode() {
            return ATOMIC_AGGREGATE;
        }

        @Override
        public int flags() {
            return FLAG_TRANSITIVE;
        }
    }

    /** RFC 4271 5.1.7, with a 4-octet ASN (RFC 6793). */
    record Aggregator(long asn, Inet4Address address) implements PathAttribute {
        public Aggregator {
            checkU32(asn, "AGGREGATOR AS");
        }

        @Override
        public int typeCode() {
            return AGGREGATOR;
        }

        @Override
        public int flags() {
            return FLAG_OPTIONAL | FLAG_TRANSITIVE;
        }
    }

    /** RFC 1997: each community is 32 bits, high 16 the ASN. */
    record Communities(List<Integer> values) implements PathAttribute {
        public static final int NO_EXPORT = 0xFFFFFF01;
        public static final int NO_ADVERTISE = 0xFFFFFF02;
        public static final int NO_EXPORT_SUBCONFED = 0xFFFFFF03;

        public Communities {
            values = List.copyOf(values);
        }

        public boolean contains(int community) {
            return values.contains(community);
        }

        public static String format(int community) {
            return (community >>> 16) + ":" + (community & 0xFFFF);
        }

        @Override
        public int typeCode() {
            return COMMUNITIES;
        }

        @Override
        public int flags() {
            return FLAG_OPTIONAL | FLAG_TRANSITIVE;
        }
    }

    /** RFC 4360: each extended community is 8 octets, kept as a long. */
    record ExtendedCommunities(List<Long> values) implements PathAttribute {
        public ExtendedCommunities {
            values = List.copyOf(values);
        }

        @Override
        public int typeCode() {
            return EXTENDED_COMMUNITIES;
        }

        @Override
        public int flags() {
            return FLAG_OPTIONAL | FLAG_TRANSITIVE;
        }
    }

    /** RFC 8092: (global administrator, local data 1, local data 2), 4 octets each. */
    record LargeCommunity(long global, long local1, long local2) {
        public LargeCommunity {
            checkU32(global, "large community global administrator");
            checkU32(local1, "large community local data 1");
            checkU32(local2, "large community local data 2");
        }

        @Override
        public String toString() {
            return global + ":" + local1 + ":" + local2;
        }
    }

    /** RFC 8092 section 3. */
    record LargeCommunities(List<LargeCommunity> values) implements PathAttribute {
        public LargeCommunities {
            values = List.copyOf(values);
        }

        @Override
        public int typeCode() {
            return LARGE_COMMUNITIES;
        }

        @Override
        public int flags() {
            return FLAG_OPTIONAL | FLAG_TRANSITIVE;
        }
    }

    /**
     * RFC 4760 section 3. For IPv6 the next hops are a global address and, optionally, a
     * link-local one (RFC 2545 3).
     */
    record MpReachNlri(AddressFamily family, List<InetAddress> nextHops, List<Prefix> nlri) implements PathAttribute {
        public MpReachNlri {
            nextHops = List.copyOf(nextHops);
            nlri = List.copyOf(nlri);
        }

        @Override
        public int typeCode() {
            return MP_REACH_NLRI;
        }

        @Override
        public int flags() {
            return FLAG_OPTIONAL;
        }
    }

    /** RFC 4760 section 4. An empty list is the End-of-RIB marker of the family (RFC 4724 2). */
    record MpUnreachNlri(AddressFamily family, List<Prefix> withdrawn) implements PathAttribute {
        public MpUnreachNlri {
            withdrawn = List.copyOf(withdrawn);
        }

        @Override
        public int typeCode() {
            return MP_UNREACH_NLRI;
        }

        @Override
        public int flags() {
            return FLAG_OPTIONAL;
        }
    }

    /**
     * An optional attribute Cairn does not interpret. Transitive ones are passed on with the
     * Partial bit set (RFC 4271 5, 9.1.4); non-transitive ones are dropped at decode.
     */
    record Unknown(int flags, int typeCode, byte[] value) implements PathAttribute {
        public Unknown {
            value = value.clone();
            flags &= FLAG_OPTIONAL | FLAG_TRANSITIVE | FLAG_PARTIAL;
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.flags == flags && u.typeCode == typeCode
                    && Arrays.equals(u.value, value);
        }

        @Override
        public int hashCode() {
            return (flags * 256 + typeCode) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Unknown[flags=0x" + Integer.toHexString(flags) + ", type=" + typeCode
                    + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }

    private static void checkU32(long v, String what) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " is 4 octets: " + v);
        }
    }
}
