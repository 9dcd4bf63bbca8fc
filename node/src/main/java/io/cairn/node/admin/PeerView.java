package io.cairn.node.admin;

import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.rib.PrefixCounts;
import io.netty.util.NetUtil;

import java.time.Instant;

/**
 * A peer as {@code GET /api/v1/peers} shows it: the session (state as birdc names it, uptime,
 * last error, flaps), its message counters and its prefix counts.
 *
 * @param enabled          false after an administrative shutdown, until enabled again
 * @param establishedSince ISO-8601 instant the session came up, or null when it is not Established
 * @param routerId         the peer's BGP Identifier while Established, else null
 * @param lastNotification the last NOTIFICATION sent or received, or null
 */
public record PeerView(String name, String address, int port, long asn, String state, boolean enabled,
                       long uptimeSeconds, String establishedSince, String routerId, String lastError,
                       Notification lastNotification, int flaps, long updatesIn, long updatesOut,
                       int prefixesReceived, int prefixesAccepted, int prefixesAdvertised, int prefixesStale) {

    /** A NOTIFICATION: code, subcode and their RFC names (with the shutdown communication, if any). */
    public record Notification(int code, int subcode, String text) {
        static Notification of(NotificationMessage n) {
            return n == null ? null : new Notification(n.code(), n.subcode(), n.toString());
        }
    }

    static PeerView of(Peer p, PrefixCounts counts, long nowMillis) {
        long since = p.establishedAtMillis();
        OpenMessage remote = p.remoteOpen();
        return new PeerView(p.name(), NetUtil.toAddressString(p.address()), p.config().port(), p.config().asn(),
                p.state().displayName(), p.enabled(),
                since == 0 ? 0 : Math.max(0, (nowMillis - since) / 1000),
                since == 0 ? null : Instant.ofEpochMilli(since).toString(),
                remote == null ? null : NetUtil.intToIpAddress((int) remote.bgpIdentifier()),
                p.lastError().isEmpty() ? null : p.lastError(),
                Notification.of(p.lastNotification()), p.flaps(), p.updatesIn(), p.updatesOut(),
                counts.received(), counts.accepted(), counts.advertised(), counts.stale());
    }
}
