package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

import static io.cairn.node.bgp.wire.NotificationCode.INVALID_NETWORK_FIELD;
import static io.cairn.node.bgp.wire.NotificationCode.MALFORMED_ATTRIBUTE_LIST;
import static io.cairn.node.bgp.wire.NotificationCode.MISSING_WELL_KNOWN_ATTRIBUTE;

/**
 * UPDATE body (RFC 4271 4.3) with RFC 7606 error handling and RFC 6793 AS4 conversion.
 * Treat-as-withdraw returns the UPDATE rewritten as the withdrawal of all its prefixes.
 */
final class UpdateCodec {

    private static final byte[] NO_DATA = new byte[0];

    private UpdateCodec() {
    }

    static UpdateMessage decode(ByteBuf body, Negotiated negotiated, MalformedUpdateListener listener)
            throws BgpProtocolException {
        // RFC 4271 6.3, kept by RFC 7606 3.b: field lengths beyond the message are a Malformed Attribute List.
        ByteBuf withdrawnField = lengthPrefixed(body, "withdrawn routes");
        ByteBuf attributeField = lengthPrefixed(body, "path attributes");
        ByteBuf nlriField = body.readSlice(body.readableBytes());

        UpdateErrors errors = new UpdateErrors();
        // RFC 7606 3.i, 3.j, 5.3: a bad withdrawn routes or NLRI field cannot be withdrawn, only reset.
        List<Prefix> withdrawn = classicPrefixes(withdrawnField, "withdrawn routes");
        List<Prefix> nlri = classicPrefixes(nlriField, "NLRI");
        if (!negotiated.families().contains(AddressFamily.IPV4_UNICAST) && !(withdrawn.isEmpty() && nlri.isEmpty())) {
            errors.discard(0, "IPv4 unicast routes, but ipv4-unicast was not negotiated; ignored");
            withdrawn = List.of();
            nlri = List.of();
        }

        AttributeDecoder decoder = new AttributeDecoder(negotiated, !nlri.isEmpty(), errors);
        decoder.decode(attributeField);
        List<PathAttribute> attributes = decoder.attributes();
        PathAttribute.MpReachNlri reach = decoder.reach();
        boolean reachable = !nlri.isEmpty() || (reach != null && !reach.nlri().isEmpty());
        if (reachable) {
            requireWellKnown(decoder, errors, PathAttribute.ORIGIN);
            requireWellKnown(decoder, errors, PathAttribute.AS_PATH);
            if (!nlri.isEmpty()) {
                requireWellKnown(decoder, errors, PathAttribute.NEXT_HOP); // RFC 4760 3: only for the NLRI field
            }
        }

        switch (errors.strongest()) {
            case NONE:
                return new UpdateMessage(withdrawn, attributes, nlri);
            case ATTRIBUTE_DISCARD:
                errors.report(listener);
                return new UpdateMessage(withdrawn, attributes, nlri);
            default:
                if (!reachable) {
                    throw errors.escalated(); // RFC 7606 5.2
                }
                errors.report(listener);
                return withdrawal(withdrawn, nlri, reach, decoder.unreach());
        }
    }

    static void encode(UpdateMessage update, Negotiated negotiated, ByteBuf out) {
        int at = out.writerIndex();
        out.writeShort(0);
        NlriCodec.encode(update.withdrawn(), 4, out);
        out.setShort(at, out.writerIndex() - at - 2);
        at = out.writerIndex();
        out.writeShort(0);
        AttributeEncoder.encode(update.attributes(), negotiated, out);
        out.setShort(at, out.writerIndex() - at - 2);
        NlriCodec.encode(update.nlri(), 4, out);
    }

    private static ByteBuf lengthPrefixed(ByteBuf body, String what) throws BgpProtocolException {
        if (body.readableBytes() < 2) {
            throw UpdateErrors.reset(MALFORMED_ATTRIBUTE_LIST, NO_DATA, "UPDATE ends before the " + what + " length");
        }
        int length = body.readUnsignedShort();
        if (length > body.readableBytes()) {
            throw UpdateErrors.reset(MALFORMED_ATTRIBUTE_LIST, NO_DATA,
                    what + " length " + length + " exceeds the " + body.readableBytes() + " octets left");
        }
        return body.readSlice(length);
    }

    private static List<Prefix> classicPrefixes(ByteBuf field, String what) throws BgpProtocolException {
        try {
            return NlriCodec.decode(field, 4, INVALID_NETWORK_FIELD);
        } catch (MalformedValue e) {
            throw UpdateErrors.reset(e.subcode(), NO_DATA, what + ": " + e.getMessage());
        }
    }

    /** RFC 7606 3.d: a missing well-known mandatory attribute withdraws the UPDATE's routes. */
    private static void requireWellKnown(AttributeDecoder decoder, UpdateErrors errors, int type) {
        if (!decoder.seen(type)) {
            errors.withdraw(type, MISSING_WELL_KNOWN_ATTRIBUTE, new byte[] {(byte) type},
                    AttributeRules.name(type) + " is missing (RFC 7606 3.d)");
        }
    }

    /**
     * Treat-as-withdraw (RFC 7606 2): every prefix of the UPDATE, withdrawn or announced, comes
     * back withdrawn and nothing else is kept. IPv4 unicast stays in the withdrawn routes field;
     * the routes of the MP attributes go to one MP_UNREACH_NLRI of their family. When the two
     * MP attributes are of different families one of them is IPv4 unicast (the only other
     * family Cairn routes), and its prefixes join the withdrawn routes field.
     */
    private static UpdateMessage withdrawal(List<Prefix> withdrawn, List<Prefix> nlri,
                                            PathAttribute.MpReachNlri reach, PathAttribute.MpUnreachNlri unreach) {
        List<Prefix> classic = new ArrayList<>(withdrawn.size() + nlri.size());
        classic.addAll(withdrawn);
        classic.addAll(nlri);
        AddressFamily family = null;
        List<Prefix> multiprotocol = new ArrayList<>();
        if (unreach != null) {
            family = unreach.family();
            multiprotocol.addAll(unreach.withdrawn());
        }
        if (reach != null) {
            if (family == null || family.equals(reach.family())) {
                family = reach.family();
                multiprotocol.addAll(reach.nlri());
            } else if (reach.family().equals(AddressFamily.IPV4_UNICAST)) {
                classic.addAll(reach.nlri());
            } else {
                classic.addAll(multiprotocol); // the MP_UNREACH_NLRI was the IPv4 one
                family = reach.family();
                multiprotocol = new ArrayList<>(reach.nlri());
            }
        }
        List<PathAttribute> attributes = multiprotocol.isEmpty()
                ? List.of() : List.of(new PathAttribute.MpUnreachNlri(family, multiprotocol));
        return new UpdateMessage(classic, attributes, List.of());
    }
}
