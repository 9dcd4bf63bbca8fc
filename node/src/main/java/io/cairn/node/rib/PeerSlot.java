package io.cairn.node.rib;

import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.OpenMessage;

import java.net.InetAddress;
import java.util.concurrent.ScheduledFuture;

/**
 * Everything the RIB keeps about one source of paths, across its sessions: its index (what
 * the candidate and sent entries of {@link PrefixRecord} refer to: its Adj-RIB-In and Adj-RIB-Out
 * live there), the keys kept stale by graceful restart, and its export session while it is up. Slot 0 is Cairn
 * itself, the source of the VNet routes. A remote slot is one NVA as another member (its origin)
 * hears it, read from that member's replica: it feeds the Loc-RIB but has no peer here and is
 * exported to no one. Owned by the RIB thread.
 */
final class PeerSlot {

    static final long NONE = -1;

    final int index;
    /** Null for Cairn's own slot and for remote ones. */
    final Peer peer;
    /** The member whose session this is, or null for this node's own. */
    final String origin;
    PathSource source;
    byte[] address;
    /** Size of its Adj-RIB-In (its candidates over all prefix records), for max-prefixes and queries. */
    int prefixes;
    /** Of those, prefixes inside the VNet: kept, not for the SDN. */
    int insideVnet;
    /** Size of its Adj-RIB-Out (its sent entries over all prefix records). */
    int advertised;
    /** The journal says its session is up (a replayed session has no export session). */
    boolean up;
    /**
     * Its session has sent End-of-RIB since it came up (RFC 4724 2): what it holds is the NVA's
     * whole word, which supersedes other members' stale copies of the NVA's paths.
     */
    boolean saidWhatHolds;
    /** The OPENs and local address of its newest session, for snapshots and graceful restart. */
    OpenMessage localOpen;
    OpenMessage remoteOpen;
    InetAddress localAddress;
    /** Keys kept after the session dropped (RFC 4724 4.2), until End-of-RIB or the timer. */
    final PrefixSet stale = new PrefixSet();
    /**
     * The stale keys were kept because this node restarted (or a snapshot recorded them stale),
     * not because the peer did: the peer's Forwarding State bits do not apply when it comes back.
     */
    boolean keptForOwnRestart;
    ScheduledFuture<?> staleTimer;
    /** Bumped whenever the stale timer is replaced, so a timer that already fired is ignored. */
    int staleGeneration;
    /** Null while the peer is down. */
    ExportSession session;

    PeerSlot(int index, Peer peer, String origin, PathSource source) {
        this.index = index;
        this.peer = peer;
        this.origin = origin;
        source(source);
    }

    void source(PathSource s) {
        source = s;
        address = s.address() == null ? null : s.address().getAddress();
    }

    /** Cairn itself, the source of the VNet routes. */
    boolean isLocal() {
        return index == 0;
    }

    /** Another member's session, known here through its replica. */
    boolean isRemote() {
        return origin != null;
    }

    @Override
    public String toString() {
        return isRemote() ? source.name() + " (" + source.address().getHostAddress() + ") as heard by " + origin
                : String.valueOf(peer);
    }
}
