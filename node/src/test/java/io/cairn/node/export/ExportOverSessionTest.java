package io.cairn.node.export;

import io.cairn.node.admin.RunningNode;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.cairn.node.admin.RunningNode.WAIT;
import static io.cairn.node.admin.RunningNode.announce;
import static io.cairn.node.admin.RunningNode.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IPv4 export, packed from the RIB's keys, as a peer reads it off a real session: the table with
 * End-of-RIB (RFC 4724 2), withdrawals, and the whole table again on ROUTE-REFRESH (RFC 2918 4).
 */
class ExportOverSessionTest {

    private static final List<String> LEARNED = List.of("0.0.0.0/0", "10.0.0.0/8", "172.16.128.0/17",
            "192.168.7.0/24", "198.51.100.9/32");

    @TempDir
    java.nio.file.Path dir;

    @Test
    void tableWithdrawalAndRouteRefreshGoOutFromKeys() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001), peer("fw", 3, 65002));
             RawPeer sdwan = n.establish(2, 65001);
             RawPeer fw = n.establish(3, 65002)) {
            fw.send(announce(65002, 3, LEARNED.toArray(String[]::new)));
            Set<Prefix> all = new HashSet<>(prefixes(LEARNED));
            all.add(Prefix.parse("10.1.0.0/16")); // the VNet, originated by the node
            assertEquals(all, readAnnounced(sdwan, all));

            fw.send(new UpdateMessage(prefixes(List.of("10.0.0.0/8", "198.51.100.9/32")), List.of(), List.of()));
            Set<Prefix> gone = new HashSet<>();
            while (gone.size() < 2) {
                UpdateMessage u = RunningNode.readUntil(sdwan, UpdateMessage.class, m -> !m.withdrawn().isEmpty());
                gone.addAll(u.withdrawn());
            }
            assertEquals(Set.copyOf(prefixes(List.of("10.0.0.0/8", "198.51.100.9/32"))), gone);

            sdwan.send(new RouteRefreshMessage(AddressFamily.IPV4_UNICAST, RouteRefreshMessage.NORMAL));
            all.removeAll(gone);
            assertEquals(all, readAnnounced(sdwan, all));
        }
    }

    /**
     * RFC 7947 2.3: each client gets the best of the paths it may have, here not the overall best.
     * The MED step (RFC 4271 9.1.2.2 c) is not transitive: sdwan-b's MED 5 drops sdwan-a's MED 10
     * (both AS 65001), so firewall (lower BGP Identifier than sdwan-b) is best overall. The monitor
     * may not have sdwan-b's path (NO_EXPORT, RFC 1997); without it sdwan-a is not dropped and wins
     * on its lower BGP Identifier.
     */
    @Test
    void eachPeerGetsTheBestOfWhatItMayHaveWhenTheMedStepIsNotTransitive() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan-a", 2, 65001), peer("firewall", 3, 65002),
                peer("sdwan-b", 4, 65001), peer("monitor", 5, 65003));
             RawPeer sdwanA = n.establish(2, 65001);
             RawPeer firewall = n.establish(3, 65002);
             RawPeer sdwanB = n.establish(4, 65001);
             RawPeer monitor = n.establish(5, 65003)) {
            // one at a time, so that the monitor hears sdwan-a only once all three paths are in
            firewall.send(withMed(announce(65002, 3, ON_PREM), 0, List.of()));
            assertEquals("127.0.0.3", nextHopOf(monitor, ON_PREM));
            sdwanB.send(withMed(announce(65001, 4, ON_PREM), 5, List.of(PathAttribute.Communities.NO_EXPORT)));
            Await.until("sdwan-b's path learned", WAIT, () -> !n.node.routeServer().learned("sdwan-b").join().isEmpty());
            sdwanA.send(withMed(announce(65001, 2, ON_PREM), 10, List.of()));

            assertEquals("127.0.0.2", nextHopOf(monitor, ON_PREM), "the best of the paths the monitor may have");
            assertEquals("127.0.0.3", n.node.routeServer().advertised("sdwan-a").get().get(Prefix.parse(ON_PREM))
                    .nextHop().getHostAddress(), "sdwan-a may have firewall's path only (RFC 4271 9.1.2: its AS)");
        }
    }

    private static final String ON_PREM = "10.250.0.0/16";

    /** {@code u} with MULTI_EXIT_DISC {@code med} and, if any, these communities instead of its own. */
    private static UpdateMessage withMed(UpdateMessage u, long med, List<Integer> communities) {
        List<PathAttribute> attributes = new ArrayList<>(u.attributes());
        attributes.add(new PathAttribute.MultiExitDisc(med));
        if (!communities.isEmpty()) {
            attributes.removeIf(a -> a instanceof PathAttribute.Communities);
            attributes.add(new PathAttribute.Communities(communities));
        }
        return new UpdateMessage(List.of(), attributes, u.nlri());
    }

    /** The next hop of the next announcement of {@code prefix}. */
    private static String nextHopOf(RawPeer raw, String prefix) throws Exception {
        Prefix p = Prefix.parse(prefix);
        return RunningNode.readUntil(raw, UpdateMessage.class, u -> u.nlri().contains(p))
                .attribute(PathAttribute.NextHop.class).orElseThrow().address().getHostAddress();
    }

    /** Reads UPDATEs until every prefix of {@code wanted} was announced; checks the attributes of fw's routes on the way. */
    private static Set<Prefix> readAnnounced(RawPeer raw, Set<Prefix> wanted) throws Exception {
        Set<Prefix> seen = new HashSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!seen.containsAll(wanted) && System.nanoTime() < deadline) {
            BgpMessage m = raw.read(Duration.ofNanos(deadline - System.nanoTime()));
            if (m instanceof UpdateMessage u && !u.nlri().isEmpty()) {
                if (!u.nlri().contains(Prefix.parse("10.1.0.0/16"))) {
                    assertEquals("127.0.0.3", u.attribute(PathAttribute.NextHop.class).orElseThrow().address().getHostAddress(),
                            "RFC 7947: the next hop is passed on unchanged");
                }
                seen.addAll(u.nlri());
            }
        }
        assertTrue(seen.containsAll(wanted), "announced " + seen);
        return seen;
    }

    private static List<Prefix> prefixes(List<String> texts) {
        return texts.stream().map(Prefix::parse).toList();
    }
}
