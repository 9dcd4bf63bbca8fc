package io.cairn.node.bgp.session;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.wire.KeepaliveMessage;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.PeerConfig;
import io.cairn.testsupport.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A flooding or a stalled peer must not delay the other sessions (each runs on its own event loop). */
class PeerIsolationTest {

    private static final InetAddress A = Loopback.address(1);
    private static final InetAddress B = Loopback.address(2);
    private static final InetAddress FLOODER = Loopback.address(4);
    private static final InetAddress STALLED = Loopback.address(5);

    @Test
    void floodingAndStalledPeersDoNotDropAFastHoldTimeSession() throws Exception {
        int pa = Loopback.freePort(A);
        int pb = Loopback.freePort(B);
        // 3 s hold time: a delay of 3 s anywhere in A's handling of B ends that session.
        PeerConfig bAtA = new PeerConfig("b", B, 65001, 3, null, 100, true, true, pb);
        PeerConfig aAtB = new PeerConfig("a", A, 65515, 3, null, 100, true, false, pa);
        try (CairnNode a = new CairnNode(65515, 0x7F000001L, new InetSocketAddress(A, pa), List.of(Prefix.parse("10.1.0.0/16")),
                     List.of(bAtA, Loopback.peer("flood", FLOODER, 65004, 179, true),
                             Loopback.peer("stalled", STALLED, 65005, 179, true))).start();
             CairnNode b = new CairnNode(65001, 0x7F000002L, new InetSocketAddress(B, pb), List.of(), List.of(aAtB)).start()) {
            Peer bPeer = a.peers().stream().filter(p -> p.name().equals("b")).findFirst().orElseThrow();
            Await.until("a-b Established", Duration.ofSeconds(15), () -> bPeer.state() == SessionState.ESTABLISHED);

            try (RawPeer stalled = establish(STALLED, 65005, pa);
                 RawPeer flooder = establish(FLOODER, 65004, pa)) {
                // The stalled peer now never reads again; the flooder sends KEEPALIVEs as fast as TCP takes them.
                ByteBuf burst = Unpooled.buffer();
                for (int i = 0; i < 10_000; i++) {
                    MessageCodec.encode(KeepaliveMessage.INSTANCE, Negotiated.DEFAULT, burst);
                }
                byte[] bytes = new byte[burst.readableBytes()];
                burst.readBytes(bytes);
                long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
                long sent = 0;
                while (System.nanoTime() < end) {
                    flooder.sendRaw(bytes);
                    sent += 10_000;
                }
                assertTrue(sent > 100_000, "the flood was too weak to mean anything: " + sent + " messages");
                assertEquals(0, bPeer.flaps(), "the 3 s hold-time session dropped during the flood");
                assertEquals(SessionState.ESTABLISHED, bPeer.state());
            }
        }
    }

    private static RawPeer establish(InetAddress from, long asn, int port) throws Exception {
        RawPeer raw = new RawPeer(from, new InetSocketAddress(A, port));
        raw.establish(OpenMessage.of(asn, 0, Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(from.getAddress()).getInt()),
                List.of()), Duration.ofSeconds(10));
        return raw;
    }
}
