package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import io.cairn.node.bgp.wire.PathAttribute.AsPath;
import io.cairn.node.bgp.wire.PathAttribute.Segment;

import static io.cairn.node.bgp.wire.NotificationCode.ATTRIBUTE_FLAGS_ERROR;
import static io.cairn.node.bgp.wire.NotificationCode.ATTRIBUTE_LENGTH_ERROR;
import static io.cairn.node.bgp.wire.NotificationCode.INVALID_NEXT_HOP_ATTRIBUTE;
import static io.cairn.node.bgp.wire.NotificationCode.INVALID_ORIGIN_ATTRIBUTE;
import static io.cairn.node.bgp.wire.NotificationCode.MALFORMED_AS_PATH;
import static io.cairn.node.bgp.wire.NotificationCode.MALFORMED_ATTRIBUTE_LIST;
import static io.cairn.node.bgp.wire.NotificationCode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE;
import static io.cairn.node.bgp.wire.PathAttribute.AGGREGATOR;
import static io.cairn.node.bgp.wire.PathAttribute.AS4_AGGREGATOR;
import static io.cairn.node.bgp.wire.PathAttribute.AS4_PATH;
import static io.cairn.node.bgp.wire.PathAttribute.AS_PATH;
import static io.cairn.node.bgp.wire.PathAttribute.ATOMIC_AGGREGATE;
import static io.cairn.node.bgp.wire.PathAttribute.CLUSTER_LIST;
import static io.cairn.node.bgp.wire.PathAttribute.COMMUNITIES;
import static io.cairn.node.bgp.wire.PathAttribute.EXTENDED_COMMUNITIES;
import static io.cairn.node.bgp.wire.PathAttribute.FLAG_EXTENDED_LENGTH;
import static io.cairn.node.bgp.wire.PathAttribute.FLAG_OPTIONAL;
import static io.cairn.node.bgp.wire.PathAttribute.FLAG_PARTIAL;
import static io.cairn.node.bgp.wire.PathAttribute.FLAG_TRANSITIVE;
import static io.cairn.node.bgp.wire.PathAttribute.LARGE_COMMUNITIES;
import static io.cairn.node.bgp.wire.PathAttribute.LOCAL_PREF;
import static io.cairn.node.bgp.wire.PathAttribute.MP_REACH_NLRI;
import static io.cairn.node.bgp.wire.PathAttribute.MP_UNREACH_NLRI;
import static io.cairn.node.bgp.wire.PathAttribute.MULTI_EXIT_DISC;
import static io.cairn.node.bgp.wire.PathAttribute.NEXT_HOP;
import static io.cairn.node.bgp.wire.PathAttribute.ORIGIN;
import static io.cairn.node.bgp.wire.PathAttribute.ORIGINATOR_ID;

/**
 * Reads the path attributes of one UPDATE (RFC 4271 4.3, 5) and applies RFC 7606 to each:
 * what the attribute's own section says, or 3.c/3.e for flags and the rest. AS4_PATH and
 * AS4_AGGREGATOR are merged in at the end (RFC 6793 4.2.3). Session resets are thrown; the
 * other errors go to {@link UpdateErrors}.
 */
final class AttributeDecoder {

    private static final byte[] NO_DATA = new byte[0];

    private final Negotiated negotiated;
    private final boolean classicNlri;
    private final UpdateErrors errors;
    private final int asnOctets;

    private final boolean[] seen = new boolean[256];
    private final List<PathAttribute> accepted = new ArrayList<>(8);
    private AsPath asPath;
    private AsPath as4Path;
    private PathAttribute.Aggregator aggregator;
    private PathAttribute.Aggregator as4Aggregator;
    private PathAttribute.MpReachNlri reach;
    private PathAttribute.MpUnreachNlri unreach;

    /** Where the attribute being decoded lies, for {@link #raw()}. */
    private ByteBuf field;
    private int attributeStart;
    private int attributeLength;

    /** @param classicNlri whether the UPDATE's own NLRI field holds prefixes (NEXT_HOP matters then) */
    AttributeDecoder(Negotiated negotiated, boolean classicNlri, UpdateErrors errors) {
        this.negotiated = negotiated;
        this.classicNlri = classicNlri;
        this.errors = errors;
        this.asnOctets = negotiated.fourOctetAs() ? 4 : 2;
    }

    /** Reads the whole path attributes field. */
    void decode(ByteBuf field) throws BgpProtocolException {
        this.field = field;
        while (field.isReadable()) {
            int start = field.readerIndex();
            int remaining = field.readableBytes();
            int flags = field.getUnsignedByte(start);
            int headerLength = (flags & FLAG_EXTENDED_LENGTH) != 0 ? 4 : 3;
            if (remaining < headerLength) {
                // RFC 7606 4: too few octets left for an attribute; the NLRI is found by the Total Attribute Length.
                errors.withdraw(0, MALFORMED_ATTRIBUTE_LIST, NO_DATA,
                        remaining + " octets at the end of the path attributes (RFC 7606 4)");
                return;
            }
            int type = field.getUnsignedByte(start + 1);
            int length = headerLength == 4 ? field.getUnsignedShort(start + 2) : field.getUnsignedByte(start + 2);
            if (length > remaining - headerLength) {
                String reason = AttributeRules.name(type) + " of " + length + " octets overruns the path attributes (RFC 7606 4)";
                if (type == MP_REACH_NLRI || type == MP_UNREACH_NLRI) {
                    throw UpdateErrors.reset(MALFORMED_ATTRIBUTE_LIST, NO_DATA, reason); // RFC 7606 3.j
                }
                errors.withdraw(type, MALFORMED_ATTRIBUTE_LIST, NO_DATA, reason);
                return;
            }
            field.skipBytes(headerLength);
            ByteBuf value = field.readSlice(length);
            if (seen[type]) {
                duplicate(type);
            } else {
                seen[type] = true;
                attributeStart = start;
                attributeLength = headerLength + length;
                decodeOne(flags, type, value);
            }
        }
    }

    /** Whether an attribute of this type was in the UPDATE, well-formed or not. */
    boolean seen(int type) {
        return seen[type];
    }

    PathAttribute.MpReachNlri reach() {
        return reach;
    }

    PathAttribute.MpUnreachNlri unreach() {
        return unreach;
    }

    /** The accepted attributes, AS4_PATH and AS4_AGGREGATOR merged in. Call once, after {@link #decode}. */
    List<PathAttribute> attributes() {
        if (asnOctets == 2) {
            mergeAs4();
        }
        addIfPresent(asPath);
        addIfPresent(aggregator);
        addIfPresent(reach);
        addIfPresent(unreach);
        return accepted;
    }

    /** RFC 7606 3.g: a repeated MP attribute resets the session, any other repeat is discarded. */
    private void duplicate(int type) throws BgpProtocolException {
        if (type == MP_REACH_NLRI || type == MP_UNREACH_NLRI) {
            throw UpdateErrors.reset(MALFORMED_ATTRIBUTE_LIST, NO_DATA, AttributeRules.name(type) + " appears twice (RFC 7606 3.g)");
        }
        errors.discard(type, AttributeRules.name(type) + " appears again; all but the first discarded (RFC 7606 3.g)");
    }

    /** The whole attribute being decoded (flags, type, length, value): the Data of a NOTIFICATION about it (RFC 4271 6.3). */
    private byte[] raw() {
        return ByteBufUtil.getBytes(field, attributeStart, attributeLength);
    }

    private void decodeOne(int flags, int type, ByteBuf value) throws BgpProtocolException {
        if (!AttributeRules.isKnown(type)) {
            unknown(flags, type, value);
            return;
        }
        String ignored = ignoredOnThisSession(type);
        if (ignored != null) {
            errors.discard(type, AttributeRules.name(type) + " " + ignored);
            return;
        }
        try {
            if ((flags & (FLAG_OPTIONAL | FLAG_TRANSITIVE)) != AttributeRules.expectedFlags(type)) {
                throw new MalformedValue(ATTRIBUTE_FLAGS_ERROR, "flags 0x" + Integer.toHexString(flags)); // RFC 7606 3.c
            }
            decodeValue(type, value);
        } catch (MalformedValue e) {
            fail(type, e);
        }
    }

    private void decodeValue(int type, ByteBuf value) throws MalformedValue {
        switch (type) {
            case ORIGIN -> {
                expectLength(value, 1); // RFC 7606 7.1
                int origin = value.readUnsignedByte();
                if (origin > PathAttribute.Origin.INCOMPLETE) {
                    throw new MalformedValue(INVALID_ORIGIN_ATTRIBUTE, "undefined value " + origin);
                }
                accepted.add(new PathAttribute.Origin(origin));
            }
            case AS_PATH -> {
                AsPath path = AsPathCodec.decode(value, asnOctets); // RFC 7606 7.2
                if (negotiated.externalPeer() && hasConfederationSegment(path)) {
                    // RFC 5065 5: Cairn is in no confederation, so every peer is outside ours.
                    throw new MalformedValue(MALFORMED_AS_PATH, "confederation segment from an external peer (RFC 5065 5)");
                }
                asPath = path;
            }
            case NEXT_HOP -> {
                expectLength(value, 4); // RFC 7606 7.3
                Inet4Address address = readIpv4(value);
                if (classicNlri && !isHostAddress(address)) {
                    // RFC 4271 6.3 syntactic check; RFC 4760 3: without NLRI of its own, NEXT_HOP is ignored.
                    throw new MalformedValue(INVALID_NEXT_HOP_ATTRIBUTE, address.getHostAddress() + " is not a host address");
                }
                accepted.add(new PathAttribute.NextHop(address));
            }
            case MULTI_EXIT_DISC -> {
                expectLength(value, 4); // RFC 7606 7.4
                accepted.add(new PathAttribute.MultiExitDisc(value.readUnsignedInt()));
            }
            case LOCAL_PREF -> {
                expectLength(value, 4); // RFC 7606 7.5, internal peers
                accepted.add(new PathAttribute.LocalPref(value.readUnsignedInt()));
            }
            case ATOMIC_AGGREGATE -> {
                expectLength(value, 0); // RFC 7606 7.6
                accepted.add(new PathAttribute.AtomicAggregate());
            }
            case AGGREGATOR -> {
                expectLength(value, asnOctets + 4); // RFC 7606 7.7
                aggregator = new PathAttribute.Aggregator(AsPathCodec.readAsn(value, asnOctets), readIpv4(value));
            }
            case COMMUNITIES -> {
                int n = expectMultipleOf(value, 4); // RFC 7606 7.8
                List<Integer> communities = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    communities.add(value.readInt());
                }
                accepted.add(new PathAttribute.Communities(communities));
            }
            // RFC 7606 7.9, 7.10 (internal peers): checked, then dropped. They are non-transitive
            // and only mean something inside a reflection cluster, which a route server is not.
            case ORIGINATOR_ID -> expectLength(value, 4);
            case CLUSTER_LIST -> expectMultipleOf(value, 4);
            case MP_REACH_NLRI -> {
                AddressFamily family = MultiprotocolCodec.family(value, MultiprotocolCodec.MIN_REACH_LENGTH);
                if (isRouted(MP_REACH_NLRI, family)) {
                    reach = MultiprotocolCodec.decodeReach(value, family);
                }
            }
            case MP_UNREACH_NLRI -> {
                AddressFamily family = MultiprotocolCodec.family(value, MultiprotocolCodec.MIN_UNREACH_LENGTH);
                if (isRouted(MP_UNREACH_NLRI, family)) {
                    unreach = MultiprotocolCodec.decodeUnreach(value, family);
                }
            }
            case EXTENDED_COMMUNITIES -> {
                int n = expectMultipleOf(value, 8); // RFC 7606 7.14
                List<Long> communities = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    communities.add(value.readLong());
                }
                accepted.add(new PathAttribute.ExtendedCommunities(communities));
            }
            case AS4_PATH -> {
                if (!value.isReadable()) {
                    throw new MalformedValue(MALFORMED_AS_PATH, "empty"); // RFC 7606 4: only AS_PATH may be empty
                }
                AsPath path = AsPathCodec.decode(value, 4);
                as4Path = As4Attributes.withoutConfederationSegments(path);
                if (as4Path.segments().size() != path.segments().size()) {
                    errors.discard(AS4_PATH, "AS4_PATH: confederation segments removed (RFC 6793 6)");
                }
            }
            case AS4_AGGREGATOR -> {
                expectLength(value, 8); // RFC 6793 6
                as4Aggregator = new PathAttribute.Aggregator(value.readUnsignedInt(), readIpv4(value));
            }
            case LARGE_COMMUNITIES -> {
                int n = expectMultipleOf(value, 12); // RFC 8092 6
                List<PathAttribute.LargeCommunity> communities = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    communities.add(new PathAttribute.LargeCommunity(
                            value.readUnsignedInt(), value.readUnsignedInt(), value.readUnsignedInt()));
                }
                accepted.add(new PathAttribute.LargeCommunities(communities));
            }
            default -> throw new AssertionError("AttributeRules.isKnown admitted type " + type);
        }
    }

    /**
     * RFC 4760 6 lets a speaker ignore the routes of a family it did not negotiate; Cairn does
     * so and reports the attribute as discarded rather than resetting the session.
     */
    private boolean isRouted(int type, AddressFamily family) {
        if (family.isUnicastIp() && negotiated.families().contains(family)) {
            return true;
        }
        errors.discard(type, AttributeRules.name(type) + ": " + family + " was not negotiated; its routes are ignored");
        return false;
    }

    /** RFC 4271 5: an unrecognized well-known attribute resets the session; optional ones pass or go. */
    private void unknown(int flags, int type, ByteBuf value) throws BgpProtocolException {
        if ((flags & FLAG_OPTIONAL) == 0) {
            throw UpdateErrors.reset(UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, raw(),
                    "unrecognized well-known attribute " + type + " (RFC 4271 6.3)");
        }
        if ((flags & FLAG_TRANSITIVE) != 0) {
            // Passed on with the Partial bit set: someone on the path did not recognize it (RFC 4271 5).
            accepted.add(new PathAttribute.Unknown(flags | FLAG_PARTIAL, type, ByteBufUtil.getBytes(value)));
        }
        // Optional non-transitive and unrecognized: quietly ignored (RFC 4271 5).
    }

    /** Attributes this session must not carry, discarded whatever they hold; null when it may. */
    private String ignoredOnThisSession(int type) {
        if (negotiated.externalPeer() && (type == LOCAL_PREF || type == ORIGINATOR_ID || type == CLUSTER_LIST)) {
            return "from an external peer (RFC 7606 7.5, 7.9, 7.10)";
        }
        if (negotiated.fourOctetAs() && (type == AS4_PATH || type == AS4_AGGREGATOR)) {
            return "between 4-octet AS speakers (RFC 6793 4.1)";
        }
        return null;
    }

    /** Applies the approach RFC 7606 gives the attribute's type to one of its errors. */
    private void fail(int type, MalformedValue e) throws BgpProtocolException {
        // RFC 4271 6.3: the Data is the erroneous attribute, except for Malformed AS_PATH.
        byte[] data = e.subcode() == MALFORMED_AS_PATH ? NO_DATA : raw();
        String reason = AttributeRules.name(type) + ": " + e.getMessage();
        switch (AttributeRules.approach(type)) {
            case ATTRIBUTE_DISCARD -> errors.discard(type, reason);
            case TREAT_AS_WITHDRAW -> errors.withdraw(type, e.subcode(), data, reason);
            default -> throw UpdateErrors.reset(e.subcode(), data, reason);
        }
    }

    /** RFC 6793 4.2.3. The rules that ignore AS4_* are protocol, not errors: nothing is reported. */
    private void mergeAs4() {
        if (as4Aggregator != null && aggregator != null) {
            if (aggregator.asn() != AsPathCodec.AS_TRANS) {
                return; // an old speaker aggregated: AS4_AGGREGATOR and AS4_PATH are stale
            }
            aggregator = as4Aggregator;
        }
        if (as4Path != null && asPath != null) {
            AsPath merged = As4Attributes.merge(asPath, as4Path);
            if (merged != null) {
                asPath = merged;
            }
        }
    }

    private void addIfPresent(PathAttribute a) {
        if (a != null) {
            accepted.add(a);
        }
    }

    private static boolean hasConfederationSegment(AsPath path) {
        for (Segment s : path.segments()) {
            if (s.type() == Segment.AS_CONFED_SEQUENCE || s.type() == Segment.AS_CONFED_SET) {
                return true;
            }
        }
        return false;
    }

    /** Not 0.0.0.0 and not multicast or reserved (224.0.0.0 and up). */
    private static boolean isHostAddress(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xFF) < 224 && !a.isAnyLocalAddress();
    }

    private static void expectLength(ByteBuf value, int expected) throws MalformedValue {
        if (value.readableBytes() != expected) {
            throw new MalformedValue(ATTRIBUTE_LENGTH_ERROR, "length " + value.readableBytes() + ", expected " + expected);
        }
    }

    /** A non-zero multiple of {@code size} (RFC 7606 4: zero length is an error); returns the count. */
    private static int expectMultipleOf(ByteBuf value, int size) throws MalformedValue {
        int length = value.readableBytes();
        if (length == 0 || length % size != 0) {
            throw new MalformedValue(ATTRIBUTE_LENGTH_ERROR, "length " + length + ", not a non-zero multiple of " + size);
        }
        return length / size;
    }

    private static Inet4Address readIpv4(ByteBuf in) {
        byte[] a = new byte[4];
        in.readBytes(a);
        try {
            return (Inet4Address) InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 4 octets are always an address
        }
    }
}
