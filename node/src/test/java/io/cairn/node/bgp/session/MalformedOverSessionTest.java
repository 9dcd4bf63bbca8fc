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
import io.cairn.node.bgp.wire.Wire;
import io.cairn.node.rib.Path;
import io.cairn.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed messages on a live session get the response RFC 4271 6 and RFC 7606 prescribe, and
 * the node goes on serving: after every session reset a fresh session comes up at once.
 */
class MalformedOverSessionTest {

    private static final InetAddress A = Loopback.address(1);
    private static final InetAddress B = Loopback.address(2);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final String ORIGIN_IGP = "40010100";
    private static final String AS_PATH_65001 = "4002060201" + "0000FDE9";
    private static final String NEXT_HOP_B = "4003047F000002";
    private static final String NLRI_192_0_2 = "18C00002";

    private CairnNode node;
    private int port;

    @BeforeEach
    void startNode() throws Exception {
        port = Loopback.freePort(A);
        node = new CairnNode(65515, 0x7F000001L, new InetSocketAddress(A, port), List.of(Prefix.parse("10.1.0.0/16")),
                List.of(Loopback.peer("b", B, 65001, 179, true))).start();
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    private RawPeer established() throws Exception {
        RawPeer raw = new RawPeer(B, new InetSocketAddress(A, port));
        raw.establish(OpenMessage.of(65001, 0, 0x7F000002L, List.of(
                new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65001))), WAIT);
        return raw;
    }

    private static byte[] message(int type, String bodyHex) {
        return Wire.message(type, Wire.hex(bodyHex));
    }

    private static byte[] update(String withdrawn, String attributes, String nlri) {
        return Wire.update(Wire.hex(withdrawn), Wire.hex(attributes), Wire.hex(nlri));
    }

    private List<Path> learned() throws Exception {
        return node.routeServer().learned("b").get(5, TimeUnit.SECONDS);
    }

    /** Sends {@code bytes} on an established session and expects {@code expected} before the close. */
    private void assertReset(byte[] bytes, NotificationMessage expected) throws Exception {
        try (RawPeer raw = established()) {
            raw.sendRaw(bytes);
            assertEquals(expected, raw.readUntilClosed(WAIT));
        }
        try (RawPeer again = established()) {
            again.send(KeepaliveMessage.INSTANCE); // the node still serves this peer
        }
    }

    @Test
    void badMarkerIsConnectionNotSynchronized_rfc4271_6_1() throws Exception {
        byte[] keepalive = message(4, "");
        keepalive[3] = 0;
        assertReset(keepalive, new NotificationMessage(NotificationCode.MESSAGE_HEADER_ERROR,
                NotificationCode.CONNECTION_NOT_SYNCHRONIZED));
    }

    @Test
    void keepaliveWithBodyIsBadMessageLength_rfc4271_6_1() throws Exception {
        assertReset(message(4, "00"), new NotificationMessage(NotificationCode.MESSAGE_HEADER_ERROR,
                NotificationCode.BAD_MESSAGE_LENGTH, new byte[] {0, 20}));
    }

    @Test
    void lengthBelowHeaderIsBadMessageLength_rfc4271_6_1() throws Exception {
        byte[] m = message(4, "");
        m[17] = 18;
        assertReset(m, new NotificationMessage(NotificationCode.MESSAGE_HEADER_ERROR,
                NotificationCode.BAD_MESSAGE_LENGTH, new byte[] {0, 18}));
    }

    @Test
    void unknownTypeIsBadMessageType_rfc4271_6_1() throws Exception {
        assertReset(message(9, ""), new NotificationMessage(NotificationCode.MESSAGE_HEADER_ERROR,
                NotificationCode.BAD_MESSAGE_TYPE, new byte[] {9}));
    }

    @Test
    void routeRefreshOfWrongLengthIsInvalidMessageLength_rfc7313_5() throws Exception {
        byte[] m = message(5, "0001000100");
        assertReset(m, new NotificationMessage(NotificationCode.ROUTE_REFRESH_MESSAGE_ERROR,
                NotificationCode.INVALID_MESSAGE_LENGTH, m));
    }

    @Test
    void withdrawnLengthBeyondMessageIsMalformedAttributeList_rfc4271_6_3() throws Exception {
        // Withdrawn Routes Length 255 in a 23-octet UPDATE: RFC 7606 4 keeps this a session reset.
        try (RawPeer raw = established()) {
            raw.sendRaw(message(2, "00FF" + "0000"));
            NotificationMessage n = assertInstanceOf(NotificationMessage.class, raw.readUntilClosed(WAIT));
            assertEquals(NotificationCode.UPDATE_MESSAGE_ERROR, n.code());
            assertEquals(NotificationCode.MALFORMED_ATTRIBUTE_LIST, n.subcode());
        }
        try (RawPeer again = established()) {
            again.send(KeepaliveMessage.INSTANCE);
        }
    }

    @Test
    void invalidOriginIsTreatAsWithdraw_rfc7606_7_1() throws Exception {
        try (RawPeer raw = established()) {
            raw.sendRaw(update("", ORIGIN_IGP + AS_PATH_65001 + NEXT_HOP_B, NLRI_192_0_2));
            Await.until("192.0.2.0/24 learned", WAIT, () -> learnedQuietly().size() == 1);
            raw.sendRaw(update("", "40010105" + AS_PATH_65001 + NEXT_HOP_B, NLRI_192_0_2));
            Await.until("192.0.2.0/24 treated as withdrawn", WAIT, () -> learnedQuietly().isEmpty());
            raw.send(KeepaliveMessage.INSTANCE);
            assertEquals(io.cairn.node.bgp.session.SessionState.ESTABLISHED,
                    node.peers().iterator().next().state(), "treat-as-withdraw must keep the session");
        }
    }

    @Test
    void aggregatorOfWrongLengthIsDiscarded_rfc7606_7_7() throws Exception {
        try (RawPeer raw = established()) {
            raw.sendRaw(update("", ORIGIN_IGP + AS_PATH_65001 + NEXT_HOP_B + "C007050000FDE901", NLRI_192_0_2));
            Await.until("192.0.2.0/24 learned", WAIT, () -> learnedQuietly().size() == 1);
            Path p = learned().get(0);
            assertTrue(p.attribute(PathAttribute.Aggregator.class).isEmpty(), "the bad AGGREGATOR is discarded");
            assertEquals(PathAttribute.AsPath.sequence(65001), p.asPath());
            assertArrayEquals(new byte[] {127, 0, 0, 2}, p.nextHop().getAddress());
        }
    }

    private List<Path> learnedQuietly() {
        try {
            return learned();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
