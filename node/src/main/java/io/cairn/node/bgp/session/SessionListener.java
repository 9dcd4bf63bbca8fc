package io.cairn.node.bgp.session;

import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.bgp.wire.UpdateMessage;

/**
 * What sessions tell the routing side. Called on the peer's event loop, in order per peer;
 * implementations hand the work to their own thread and return at once.
 */
public interface SessionListener {

    /** The session reached Established; both OPENs are given so later messages can be decoded anew. */
    void established(Peer peer, OpenMessage local, OpenMessage remote, Negotiated negotiated);

    void update(Peer peer, UpdateMessage update);

    void routeRefresh(Peer peer, RouteRefreshMessage request);

    /**
     * An Established session ended; {@code reason} is for operators. {@code notified} says a
     * NOTIFICATION was sent or received: then graceful restart does not apply (RFC 4724 4.2;
     * Cairn does not offer RFC 8538's N bit), whereas a dropped connection keeps the paths stale.
     */
    void down(Peer peer, String reason, boolean notified);
}
