package io.cairn.node.rib;

import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.journal.BgpRecord;

import java.net.InetAddress;

/**
 * The RIB's input: a journal record ({@link BgpRecord}) with its peer resolved to the configured
 * {@link Peer} and its OPENs decoded ({@link JournalFollower}). An UPDATE travels as its normalized
 * wire octets ({@link io.cairn.node.journal.NormalizedUpdate}), already checked per RFC 7606 on the
 * session's event loop; the RIB walks those octets in place ({@link UpdateReader}).
 */
sealed interface RibEvent {

    Peer peer();

    /** The session reached Established: both OPENs (so the journal can rebuild the negotiation) and the local address. */
    record PeerUp(Peer peer, OpenMessage localOpen, OpenMessage remoteOpen, Negotiated negotiated,
                  InetAddress localAddress) implements RibEvent {
    }

    /** An UPDATE other than End-of-RIB, as normalized message octets (header included). */
    record Update(Peer peer, byte[] message) implements RibEvent {
    }

    /** The End-of-RIB marker of a family (RFC 4724 2). */
    record EndOfRib(Peer peer, AddressFamily family) implements RibEvent {
    }

    /** A ROUTE-REFRESH request, or a BoRR/EoRR marker (RFC 2918, RFC 7313). */
    record RouteRefresh(Peer peer, RouteRefreshMessage request) implements RibEvent {
    }

    /** The peer's stale paths ran out of time (a journaled STALE_EXPIRED). */
    record StaleExpired(Peer peer) implements RibEvent {
    }

    /** The session ended; {@code kind} says what becomes of its paths. */
    record PeerDown(Peer peer, String reason, BgpRecord.DownKind kind) implements RibEvent {
    }
}
