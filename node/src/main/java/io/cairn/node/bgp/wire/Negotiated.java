package io.cairn.node.bgp.wire;

import java.util.Set;

/**
 * What the two OPENs of a session agreed on, as far as the wire format depends on it. The codec
 * reads with it; the journal keeps both OPENs so it can be rebuilt for replay.
 *
 * @param fourOctetAs     both sides sent the 4-octet AS capability (RFC 6793)
 * @param extendedMessage both sides sent the extended message capability (RFC 8654)
 * @param externalPeer    the peer is in another AS: LOCAL_PREF from it is ignored (RFC 4271 5.1.5)
 * @param families        the address families both sides offered (RFC 4760 8)
 */
public record Negotiated(boolean fourOctetAs, boolean extendedMessage, boolean externalPeer,
                         Set<AddressFamily> families) {

    /** Before OPENs are exchanged: 2-octet AS, 4,096-octet messages, IPv4 unicast. */
    public static final Negotiated DEFAULT =
            new Negotiated(false, false, true, Set.of(AddressFamily.IPV4_UNICAST));

    public Negotiated {
        families = Set.copyOf(families);
    }

    /** Largest message allowed (RFC 4271 4.1, RFC 8654 4: OPEN and KEEPALIVE stay at 4,096). */
    public int maxMessageLength(int type) {
        return extendedMessage && type != BgpMessage.OPEN && type != BgpMessage.KEEPALIVE
                ? MessageHeader.MAX_EXTENDED_LENGTH : MessageHeader.MAX_LENGTH;
    }

    /** The common ground of two OPENs. */
    public static Negotiated of(OpenMessage local, OpenMessage remote) {
        Set<AddressFamily> common = new java.util.HashSet<>(local.families());
        common.retainAll(remote.families());
        return new Negotiated(
                local.has(Capability.FourOctetAs.class) && remote.has(Capability.FourOctetAs.class),
                local.has(Capability.ExtendedMessage.class) && remote.has(Capability.ExtendedMessage.class),
                local.autonomousSystem() != remote.autonomousSystem(),
                common);
    }
}
