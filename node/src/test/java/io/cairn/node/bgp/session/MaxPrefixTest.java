package io.cairn.node.bgp.session;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.KeepaliveMessage;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.PeerConfig;
import io.cairn.testsupport.Await;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Max-prefixes per peer (RFC 4486): over the limit the session closes and stays down for a while. */
class MaxPrefixTest {

    private static final InetAddress A = Loopback.address(1);
    private static final InetAddress B = Loopback.address(2);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void exceedingTheLimitCeasesAndHoldsThePeerDown() throws Exception {
        int port = Loopback.freePort(A);
        PeerConfig limited = new PeerConfig("b", B, 65001, 90, null, 3, true, true, 179, 2);
        try (CairnNode node = new CairnNode(65515, 0x7F000001L, new InetSocketAddress(A, port),
                List.of(Prefix.parse("10.1.0.0/16")), List.of(limited)).start()) {
            try (RawPeer raw = established(port)) {
                raw.send(announce("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"));
                raw.send(announce("192.0.2.128/25"));
                NotificationMessage n = assertInstanceOf(NotificationMessage.class, raw.readUntilClosed(WAIT));
                // Data: AFI 1, SAFI 1, upper bound 3 (RFC 4486 4).
                assertEquals(new NotificationMessage(NotificationCode.CEASE, NotificationCode.CEASE_MAXIMUM_PREFIXES_REACHED,
                        new byte[] {0, 1, 1, 0, 0, 0, 3}), n);
            }
            long downSince = System.nanoTime();
            try (RawPeer tooSoon = new RawPeer(B, new InetSocketAddress(A, port))) {
                assertEquals(new NotificationMessage(NotificationCode.CEASE, NotificationCode.CEASE_CONNECTION_REJECTED),
                        tooSoon.readUntilClosed(WAIT), "a held-down peer is refused");
            }
            Peer peer = node.peers().iterator().next();
            Await.until("its routes to go with the session", WAIT, () -> node.routeServer().learned("b").join().isEmpty());
            Await.until("the hold-down to end", WAIT, () -> System.nanoTime() - downSince > Duration.ofSeconds(2).toNanos());
            try (RawPeer again = established(port)) {
                Await.until("Established after the hold-down", WAIT, () -> peer.state() == SessionState.ESTABLISHED);
                again.send(KeepaliveMessage.INSTANCE);
            }
        }
    }

    private static RawPeer established(int port) throws Exception {
        RawPeer raw = new RawPeer(B, new InetSocketAddress(A, port));
        raw.establish(OpenMessage.of(65001, 0, 0x7F000002L, List.of(
                new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65001))), WAIT);
        return raw;
    }

    private static UpdateMessage announce(String... prefixes) throws Exception {
        return new UpdateMessage(List.of(), List.of(
                new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(65001),
                new PathAttribute.NextHop((Inet4Address) InetAddress.getByName("192.0.2.1"))),
                java.util.Arrays.stream(prefixes).map(Prefix::parse).toList());
    }
}
