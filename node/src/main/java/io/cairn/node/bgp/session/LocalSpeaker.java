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
     * 4-octet AS, extended messages, and graceful restart (RFC 4724 3) for both families with the
     * Forwarding State bit set: the journal brings every route back after a restart and the SDN
     * keeps forwarding meanwhile, so peers may keep Cairn's routes while it restarts. The Restart
     * State bit stays clear: Cairn sends End-of-RIB after its table in every case, so no peer
     * waits on the other. ADD-PATH is never offered, so a peer's ADD-PATH capability is refused
     * by omission.
     */
    public OpenMessage openFor(int holdTime) {
        return OpenMessage.of(asn, holdTime, bgpIdentifier, List.of(
                new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST),
                new Capability.Multiprotocol(AddressFamily.IPV6_UNICAST),
                new Capability.RouteRefresh(),
                new Capability.EnhancedRouteRefresh(),
                new Capability.FourOctetAs(asn),
                new Capability.ExtendedMessage(),
                new Capability.GracefulRestart(false, false, restartTime, List.of(
                        new Capability.GracefulRestart.Family(AddressFamily.IPV4_UNICAST, true),
                        new Capability.GracefulRestart.Family(AddressFamily.IPV6_UNICAST, true)))));
    }
}
