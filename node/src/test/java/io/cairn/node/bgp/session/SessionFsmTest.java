package io.cairn.node.bgp.session;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.KeepaliveMessage;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.PeerConfig;
import io.cairn.testsupport.Await;
import io.cairn.testsupport.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session FSM of RFC 4271 section 8 between two Cairn speakers and against hand-driven peers. */
class SessionFsmTest {

    private static final Duration UP = Duration.ofSeconds(15);
    private static final InetAddress A = Loopback.address(1);
    private static final InetAddress B = Loopback.address(2);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private CairnNode node(long asn, InetAddress address, int port, PeerConfig... peers) throws InterruptedException {
        CairnNode n = new CairnNode(asn, Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(address.getAddress()).getInt()),
                new InetSocketAddress(address, port), List.of(Prefix.parse("10.1.0.0/16")), List.of(peers));
        closeables.add(n);
        return n.start();
    }

    private static Peer only(CairnNode n) {
        return n.peers().iterator().next();
    }

    private static boolean established(CairnNode n) {
        return only(n).state() == SessionState.ESTABLISHED;
    }

    /** Repeated: the collision is a race, and each run draws it anew. */
    @RepeatedTest(5)
    void bothActiveCollisionLeavesOneSession_rfc4271_6_8() throws Exception {
        int pa = Loopback.freePort(A);
        int pb = Loopback.freePort(B);
        CairnNode a = node(65515, A, pa, Loopback.peer("b", B, 65001, pb, false));
        CairnNode b = node(65001, B, pb, Loopback.peer("a", A, 65515, pa, false));
        Await.until("both sides Established", UP, () -> established(a) && established(b));
        // Each side resolves 6.8 with the connections it has seen. When B's connection reaches A
        // only after A got B's KEEPALIVE on A's own connection, A briefly has that one Established
        // while B, which saw both, closes it in favour of its own (seen once in a CI run
        // under load). No local rule avoids that without delaying every session; what the protocol
        // promises, and this checks, is at most that one flap and then one session that stays up.
        Await.never("a session drop after collision resolution", Duration.ofSeconds(2),
                () -> only(a).flaps() > 1 || only(b).flaps() > 1);
        assertTrue(established(a) && established(b), "one session survives the collision");
    }

    @Test
    void cairnPassiveAcceptsActivePeer() throws Exception {
        int pa = Loopback.freePort(A);
        int pb = Loopback.freePort(B);
        CairnNode a = node(65515, A, pa, Loopback.peer("b", B, 65001, pb, true));
        CairnNode b = node(65001, B, pb, Loopback.peer("a", A, 65515, pa, false));
        Await.until("Established with Cairn passive", UP, () -> established(a) && established(b));
    }

    /** What an operator reads: one line per state a connection reaches, and why it left. */
    @Test
    void eachSessionStateChangeIsOneLogLineWithItsReason() throws Exception {
        int pa = Loopback.freePort(A);
        try (LogCapture log = new LogCapture(Peer.class)) {
            node(65515, A, pa, Loopback.peer("b", B, 65001, Loopback.freePort(B), true));
            try (RawPeer refused = new RawPeer(B, new InetSocketAddress(A, pa))) {
                refused.read(UP);
                refused.send(OpenMessage.of(65099, 90, 0x0A000002L, List.of()));
                refused.readUntilClosed(UP);
            }
            try (RawPeer silent = new RawPeer(B, new InetSocketAddress(A, pa))) {
                silent.read(UP); // Cairn's OPEN, then the NVA hangs up without a word
            }
            Await.until("the silent connection's end logged", UP,
                    () -> log.linesWith("OpenSent: connection lost before Established").size() == 1);
            try (RawPeer nva = new RawPeer(B, new InetSocketAddress(A, pa))) {
                nva.establish(OpenMessage.of(65001, 90, 0x0A000002L, List.of()), UP);
                Await.until("Established logged", UP, () -> log.linesWith("session established").size() == 1);
            }
            Await.until("the session's end logged", UP, () -> log.linesWith("session down").size() == 1);

            assertEquals(3, log.linesWith("OpenSent: connected, OPEN sent").size());
            assertEquals(1, log.linesWith("OpenSent: peer says AS65099, configured AS65001").size(),
                    "the refused OPEN, with why");
            assertEquals(List.of("INFO b (127.0.0.2, AS65001): incoming " + "/127.0.0.2:"),
                    log.linesWith("OpenConfirm: OPEN received (AS65001, identifier 10.0.0.2, hold time 90 s)").stream()
                            .map(l -> l.substring(0, l.indexOf("/127.0.0.2:") + "/127.0.0.2:".length())).toList());
            assertEquals(List.of("INFO b (127.0.0.2, AS65001): session established (hold time 90 s)"),
                    log.linesWith("session established"));
            assertEquals(List.of("INFO b (127.0.0.2, AS65001): session down: connection closed"), log.linesWith("session down"));
        }
    }

    @Test
    void wrongPeerAsGetsBadPeerAs_rfc4271_6_2() throws Exception {
        int pa = Loopback.freePort(A);
        node(65515, A, pa, Loopback.peer("b", B, 65001, Loopback.freePort(B), true));
        try (RawPeer raw = new RawPeer(B, new InetSocketAddress(A, pa))) {
            // a real speaker sends its OPEN first; read Cairn's, answer with the wrong AS
            assertInstanceOf(OpenMessage.class, raw.read(UP));
            raw.send(OpenMessage.of(65099, 90, 0x0A000002L, List.of()));
            BgpMessage last = raw.readUntilClosed(UP);
            assertEquals(new NotificationMessage(NotificationCode.OPEN_MESSAGE_ERROR, NotificationCode.BAD_PEER_AS), last);
        }
    }

    @Test
    void zeroBgpIdentifierGetsBadBgpIdentifier_rfc6286() throws Exception {
        int pa = Loopback.freePort(A);
        node(65515, A, pa, Loopback.peer("b", B, 65001, Loopback.freePort(B), true));
        try (RawPeer raw = new RawPeer(B, new InetSocketAddress(A, pa))) {
            assertInstanceOf(OpenMessage.class, raw.read(UP));
            raw.send(OpenMessage.of(65001, 90, 0, List.of()));
            assertEquals(new NotificationMessage(NotificationCode.OPEN_MESSAGE_ERROR, NotificationCode.BAD_BGP_IDENTIFIER),
                    raw.readUntilClosed(UP));
        }
    }

    @Test
    void unacceptableHoldTimeIsRefused_rfc4271_6_2() throws Exception {
        int pa = Loopback.freePort(A);
        node(65515, A, pa, Loopback.peer("b", B, 65001, Loopback.freePort(B), true));
        try (RawPeer raw = new RawPeer(B, new InetSocketAddress(A, pa))) {
            assertInstanceOf(OpenMessage.class, raw.read(UP));
            raw.send(OpenMessage.of(65001, 2, 0x0A000002L, List.of()));
            assertEquals(new NotificationMessage(NotificationCode.OPEN_MESSAGE_ERROR, NotificationCode.UNACCEPTABLE_HOLD_TIME),
                    raw.readUntilClosed(UP));
        }
    }

    @Test
    void unknownAddressIsClosedBeforeAnyOpen() throws Exception {
        int pa = Loopback.freePort(A);
        node(65515, A, pa, Loopback.peer("b", B, 65001, Loopback.freePort(B), true));
        try (RawPeer stranger = new RawPeer(Loopback.address(9), new InetSocketAddress(A, pa))) {
            assertNull(stranger.readUntilClosed(UP), "Cairn must not send its OPEN to an unknown peer");
        }
    }

    @Test
    void silentPeerHitsHoldTimer_rfc4271_6_5() throws Exception {
        int pa = Loopback.freePort(A);
        PeerConfig fast = new PeerConfig("b", B, 65001, 3, null, 100, true, true, Loopback.freePort(B));
        node(65515, A, pa, fast);
        try (RawPeer raw = new RawPeer(B, new InetSocketAddress(A, pa))) {
            assertInstanceOf(OpenMessage.class, raw.read(UP));
            raw.send(OpenMessage.of(65001, 3, 0x0A000002L, List.of()));
            assertInstanceOf(KeepaliveMessage.class, raw.read(UP));
            raw.send(KeepaliveMessage.INSTANCE);
            long start = System.nanoTime();
            // Cairn keeps sending keepalives every second; we stay silent.
            BgpMessage last = raw.readUntilClosed(Duration.ofSeconds(10));
            long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(new NotificationMessage(NotificationCode.HOLD_TIMER_EXPIRED, 0), last);
            assertTrue(waited >= 2_500, "hold timer fired after " + waited + " ms, before the 3 s hold time");
        }
    }

    @Test
    void updateInOpenConfirmIsFsmError_rfc6608() throws Exception {
        int pa = Loopback.freePort(A);
        node(65515, A, pa, Loopback.peer("b", B, 65001, Loopback.freePort(B), true));
        try (RawPeer raw = new RawPeer(B, new InetSocketAddress(A, pa))) {
            assertInstanceOf(OpenMessage.class, raw.read(UP));
            raw.send(OpenMessage.of(65001, 90, 0x0A000002L, List.of()));
            assertInstanceOf(KeepaliveMessage.class, raw.read(UP));
            raw.send(new io.cairn.node.bgp.wire.RouteRefreshMessage(io.cairn.node.bgp.wire.AddressFamily.IPV4_UNICAST, 0));
            assertEquals(new NotificationMessage(NotificationCode.FSM_ERROR, NotificationCode.FSM_UNEXPECTED_IN_OPENCONFIRM),
                    raw.readUntilClosed(UP));
        }
    }

    @Test
    void md5MatchingPasswordsEstablish_rfc2385() throws Exception {
        int pa = Loopback.freePort(A);
        int pb = Loopback.freePort(B);
        CairnNode a = node(65515, A, pa, Loopback.withPassword(Loopback.peer("b", B, 65001, pb, false), "s3cret"));
        CairnNode b = node(65001, B, pb, Loopback.withPassword(Loopback.peer("a", A, 65515, pa, true), "s3cret"));
        Await.until("Established with MD5", UP, () -> established(a) && established(b));
    }

    @Test
    void md5WrongPasswordNeverEstablishes_rfc2385() throws Exception {
        int pa = Loopback.freePort(A);
        int pb = Loopback.freePort(B);
        CairnNode a = node(65515, A, pa, Loopback.withPassword(Loopback.peer("b", B, 65001, pb, false), "s3cret"));
        CairnNode b = node(65001, B, pb, Loopback.withPassword(Loopback.peer("a", A, 65515, pa, true), "other"));
        Await.never("Established with mismatched MD5 passwords", Duration.ofSeconds(4),
                () -> established(a) || established(b));
    }
}
