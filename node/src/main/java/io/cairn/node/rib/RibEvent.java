package io.cairn.node.rib;

import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.InetAddress;
import java.util.Set;

/**
 * The RIB's input, one record per thing that happened to a session, shaped as journal records
 * (issue 5): the RIB thread consumes these and nothing else, so it can later tail a journal
 * instead of an in-memory queue. An UPDATE travels as its normalized wire octets, produced by
 * the same codec that serves the wire ({@link MessageCodec}), already checked per RFC 7606 on the
 * session's event loop; the RIB walks those octets in place ({@link UpdateReader}).
 */
public sealed interface RibEvent {

    /**
     * The format of normalized UPDATEs: 4-octet AS numbers (RFC 6793), up to 65,535 octets,
     * LOCAL_PREF kept (the session's decoder already ignored it from external peers), both
     * unicast families.
     */
    Negotiated NORMALIZED = new Negotiated(true, true, false,
            Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST));

    Peer peer();

    /** The session reached Established: both OPENs (so the journal can rebuild the negotiation) and the local address. */
    record PeerUp(Peer peer, OpenMessage localOpen, OpenMessage remoteOpen, Negotiated negotiated,
                  InetAddress localAddress) implements RibEvent {
    }

    /** An UPDATE other than End-of-RIB, as normalized message octets (header included). */
    record Update(Peer peer, byte[] message) implements RibEvent {

        public static Update of(Peer peer, UpdateMessage update) {
            ByteBuf out = Unpooled.buffer(256);
            MessageCodec.encode(update, NORMALIZED, out);
            byte[] octets = new byte[out.readableBytes()];
            out.readBytes(octets);
            return new Update(peer, octets);
        }
    }

    /** The End-of-RIB marker of a family (RFC 4724 2). */
    record EndOfRib(Peer peer, AddressFamily family) implements RibEvent {
    }

    /** A ROUTE-REFRESH request, or a BoRR/EoRR marker (RFC 2918, RFC 7313). */
    record RouteRefresh(Peer peer, RouteRefreshMessage request) implements RibEvent {
    }

    /** The session ended; {@code notified}: a NOTIFICATION went either way (no graceful restart then). */
    record PeerDown(Peer peer, String reason, boolean notified) implements RibEvent {
    }
}
