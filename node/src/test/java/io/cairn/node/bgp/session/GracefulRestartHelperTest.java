package io.cairn.node.bgp.session;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful restart, receiving side (RFC 4724 4.2): an NVA whose connection drops keeps its
 * routes, stale, for its restart time; End-of-RIB after it returns clears what it did not resend.
 */
class GracefulRestartHelperTest {

    private static final InetAddress NODE = Loopback.address(1);
    private static final InetAddress NVA = Loopback.address(2);
    private static final InetAddress OTHER = Loopback.address(3);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int RESTART_TIME = 3;
    private static final Prefix OLD = Prefix.parse("192.0.2.0/24");
    private static final Prefix NEW = Prefix.parse("198.51.100.0/24");

    private CairnNode node;
    private CairnNode other;
    private int port;

    @BeforeEach
    void start() throws Exception {
        port = Loopback.freePort(NODE);
        node = new CairnNode(65515, 0x7F000001L, new InetSocketAddress(NODE, port), List.of(Prefix.parse("10.1.0.0/16")),
                List.of(Loopback.peer("nva", NVA, 65001, 179, true), Loopback.peer("other", OTHER, 65002, 179, true))).start();
        other = new CairnNode(65002, 0x7F000003L, new InetSocketAddress(OTHER, 0), List.of(),
                List.of(Loopback.peer("node", NODE, 65515, port, false))).start();
    }

    @AfterEach
    void stop() {
        other.close();
        node.close();
    }

    private boolean otherHas(Prefix p) {
        return other.routeServer().learned("node").join().stream().anyMatch(path -> path.prefix().equals(p));
    }

    private RawPeer nvaWithGracefulRestart() throws Exception {
        RawPeer raw = new RawPeer(NVA, new InetSocketAddress(NODE, port));
        raw.establish(OpenMessage.of(65001, 0, 0x7F000002L, List.of(
                new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65001),
                new Capability.GracefulRestart(false, false, RESTART_TIME,
                        List.of(new Capability.GracefulRestart.Family(AddressFamily.IPV4_UNICAST, true))))), WAIT);
        return raw;
    }

    private static UpdateMessage announce(Prefix p) throws Exception {
        return new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(65001),
                new PathAttribute.NextHop((Inet4Address) InetAddress.getByName("192.0.2.1"))), List.of(p));
    }

    @Test
    void droppedConnectionKeepsRoutesForTheRestartTimeThenWithdraws() throws Exception {
        try (RawPeer nva = nvaWithGracefulRestart()) {
            nva.send(announce(OLD));
            Await.until("the other NVA to learn " + OLD, WAIT, () -> otherHas(OLD));
        } // closed without a NOTIFICATION: the NVA "restarts"
        long dropped = System.nanoTime();
        Await.until("the path marked stale", WAIT, () -> node.routeServer().stale("nva").join().contains(OLD));
        Await.never("the stale route withdrawn before the restart time", Duration.ofSeconds(RESTART_TIME - 1),
                () -> !otherHas(OLD));
        Await.until("the stale route withdrawn after the restart time", WAIT, () -> !otherHas(OLD));
        assertTrue(node.routeServer().learned("nva").join().isEmpty(), "gone from the Adj-RIB-In too");
        long waited = Duration.ofNanos(System.nanoTime() - dropped).toMillis();
        assertTrue(waited >= RESTART_TIME * 1000L - 200, "withdrawn after " + waited + " ms, before the restart time");
    }

    @Test
    void endOfRibAfterReturnClearsWhatWasNotResent() throws Exception {
        try (RawPeer nva = nvaWithGracefulRestart()) {
            nva.send(announce(OLD));
            Await.until("the other NVA to learn " + OLD, WAIT, () -> otherHas(OLD));
        }
        try (RawPeer back = nvaWithGracefulRestart()) {
            back.send(announce(NEW));
            Await.until("the other NVA to learn " + NEW, WAIT, () -> otherHas(NEW));
            assertTrue(otherHas(OLD), "the stale route stays until End-of-RIB");
            back.send(UpdateMessage.endOfRib(AddressFamily.IPV4_UNICAST));
            Await.until("End-of-RIB to clear the stale " + OLD, Duration.ofSeconds(RESTART_TIME - 1), () -> !otherHas(OLD));
            assertTrue(otherHas(NEW));
        }
    }

    @Test
    void notificationEndsTheSessionWithoutGracefulRestart() throws Exception {
        try (RawPeer nva = nvaWithGracefulRestart()) {
            nva.send(announce(OLD));
            Await.until("the other NVA to learn " + OLD, WAIT, () -> otherHas(OLD));
            nva.send(NotificationMessage.cease(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, "maintenance"));
        }
        Await.until("the route withdrawn at once", Duration.ofSeconds(RESTART_TIME - 1), () -> !otherHas(OLD));
    }
}
