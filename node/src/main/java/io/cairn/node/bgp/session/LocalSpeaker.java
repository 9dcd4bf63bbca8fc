package io.cairn.node.bgp.session;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.OpenMessage;

import java.util.List;

/**
 * This speaker's identity in OPENs: its ASN, BGP Identifier and graceful restart time.
 *
 * @param restartTime seconds NVAs should keep our routes when we go away (RFC 4724 4.2)
 */
public record LocalSpeaker(long asn, long bgpIdentifier, int restartTime) {

    /**
     * The OPEN sent to a peer: both unicast families, route refresh (plain and enhanced),
     * 4-octet AS, extended messages, and graceful restart in helper form (no AFI/SAFI with
     * preserved forwarding state until the journal keeps routes across our own restarts).
     * ADD-PATH is never offered, so a peer's ADD-PATH capability is refused by omission.
     */
    public OpenMessage openFor(int holdTime) {
        return OpenMessage.of(asn, holdTime, bgpIdentifier, List.of(
                new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST),
                new Capability.Multiprotocol(AddressFamily.IPV6_UNICAST),
                new Capability.RouteRefresh(),
                new Capability.EnhancedRouteRefresh(),
                new Capability.FourOctetAs(asn),
                new Capability.ExtendedMessage(),
                new Capability.GracefulRestart(false, false, restartTime, List.of())));
    }
}
