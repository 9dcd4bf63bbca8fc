package io.cairn.node.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.cluster.journal.Journal;
import io.cairn.node.config.JournalConfig;
import io.cairn.node.config.RibConfig;
import io.cairn.node.config.VnetConfig;
import io.cairn.node.rib.DecisionProcess;
import io.cairn.node.rib.Path;
import io.cairn.node.rib.PrefixCounts;
import io.cairn.testsupport.Await;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RIB is a fold over the journal (issue 5): a node started on the journal of an earlier one
 * has exactly its Adj-RIB-In and Loc-RIB before any NVA is back, keeps the paths stale until each
 * NVA's End-of-RIB, and then holds what the NVA sent again.
 */
class JournalRestartTest {

    private static final InetAddress NODE = Loopback.address(1);
    private static final InetAddress NVA = Loopback.address(2);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Prefix VNET = Prefix.parse("10.1.0.0/16");
    private static final int SETS = 3;

    @TempDir java.nio.file.Path dir;
    private final List<CairnNode> nodes = new ArrayList<>();
    private int port;

    @AfterEach
    void stop() {
        nodes.forEach(CairnNode::close);
    }

    private CairnNode node(java.nio.file.Path journalDir) throws Exception {
        if (port == 0) {
            port = Loopback.freePort(NODE);
        }
        JournalConfig journal = new JournalConfig(journalDir, JournalConfig.DEFAULT_SNAPSHOT_RECORDS);
        CairnNode node = new CairnNode(65515, 0x7F000001L, new InetSocketAddress(NODE, port),
                new VnetConfig(List.of(VNET), null), List.of(Loopback.peer("nva", NVA, 65001, 179, true)),
                RibConfig.DEFAULT, journal, CairnNode.journalOptions(journal));
        nodes.add(node);
        return node.start();
    }

    private RawPeer nva() throws Exception {
        RawPeer raw = new RawPeer(NVA, new InetSocketAddress(NODE, port));
        raw.establish(OpenMessage.of(65001, 90, 0x7F000002L, List.of(
                new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST),
                new Capability.Multiprotocol(AddressFamily.IPV6_UNICAST), new Capability.FourOctetAs(65001),
                new Capability.GracefulRestart(false, false, 120, List.of(
                        new Capability.GracefulRestart.Family(AddressFamily.IPV4_UNICAST, true),
                        new Capability.GracefulRestart.Family(AddressFamily.IPV6_UNICAST, true))))), WAIT);
        return raw;
    }

    /** Attribute set {@code s}: its own AS path length and next hop; 512 IPv4 and 16 IPv6 prefixes each. */
    private static List<UpdateMessage> table(int s) throws Exception {
        long[] path = new long[s + 1];
        path[0] = 65001;
        for (int i = 1; i <= s; i++) {
            path[i] = 65010 + i;
        }
        List<PathAttribute> common = List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(path));
        List<Prefix> v4 = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            v4.add(Prefix.parse((100 + s) + "." + (i >> 8) + "." + (i & 0xFF) + ".0/24"));
        }
        List<PathAttribute> v4Attributes = new ArrayList<>(common);
        v4Attributes.add(new PathAttribute.NextHop((Inet4Address) InetAddress.getByName("192.0.2." + (s + 1))));
        List<Prefix> v6 = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            v6.add(Prefix.parse("2001:db8:" + s + ":" + i + "::/64"));
        }
        List<PathAttribute> v6Attributes = new ArrayList<>(common);
        v6Attributes.add(new PathAttribute.MpReachNlri(AddressFamily.IPV6_UNICAST,
                List.of(InetAddress.getByName("2001:db8::" + (s + 1))), v6));
        return List.of(new UpdateMessage(List.of(), v4Attributes, v4), new UpdateMessage(List.of(), v6Attributes, List.of()));
    }

    private static int tableSize() {
        return SETS * (512 + 16);
    }

    /** Learns the whole table from a fresh NVA session, which is left open. */
    private RawPeer learnTable(CairnNode node) throws Exception {
        RawPeer nva = nva();
        for (int s = 0; s < SETS; s++) {
            for (UpdateMessage u : table(s)) {
                nva.send(u);
            }
        }
        Await.until("the node to learn the table", WAIT, () -> node.routeServer().learned("nva").join().size() == tableSize());
        return nva;
    }

    private static Set<Prefix> prefixes(List<Path> paths) {
        Set<Prefix> out = new TreeSet<>();
        paths.forEach(p -> out.add(p.prefix()));
        return out;
    }

    private static void assertSameRib(List<Path> learned, Map<Prefix, DecisionProcess.Selection> best,
                                      CairnNode after) {
        assertEquals(learned, after.routeServer().learned("nva").join(), "the Adj-RIB-In, path by path");
        assertEquals(best, after.routeServer().best().join(), "the Loc-RIB with its ECMP sets");
        assertEquals(prefixes(learned), after.routeServer().stale("nva").join(), "every replayed path stale");
        PrefixCounts counts = after.routeServer().counts().join().peer("nva");
        assertEquals(new PrefixCounts(learned.size(), learned.size(), 0, learned.size()), counts,
                "the counters agree: all received and accepted, none advertised (the NVA is not back), all stale");
    }

    @Test
    void aNewNodeThatLearnedNothingTakesItsClosingSnapshotToo() throws Exception {
        java.nio.file.Path journal = dir.resolve("journal");
        CairnNode idle = node(journal);
        idle.close(); // the snapshot's SNAPSHOT_BEGIN is the journal's first record
        nodes.remove(idle);
        assertEquals(1, idle.sessionJournal().snapshots(), "the clean shutdown took a snapshot");
        try (Journal reopened = Journal.open(journal, CairnNode.journalOptions(
                new JournalConfig(journal, JournalConfig.DEFAULT_SNAPSHOT_RECORDS)))) {
            assertTrue(reopened.newestSnapshot().isPresent(), "the journal holds it complete");
        }
    }

    @Test
    void aCleanlyRestartedNodeHasEveryPathUntilTheNvaIsBackWithItsEndOfRib() throws Exception {
        java.nio.file.Path journal = dir.resolve("journal");
        CairnNode first = node(journal);
        List<Path> learned;
        Map<Prefix, DecisionProcess.Selection> best;
        try (RawPeer nva = learnTable(first)) {
            learned = first.routeServer().learned("nva").join();
            best = first.routeServer().best().join();
            first.close(); // a closing snapshot
            nodes.remove(first);
        }
        assertTrue(first.sessionJournal().snapshots() >= 1, "the clean shutdown took a snapshot");

        CairnNode second = node(journal);
        assertSameRib(learned, best, second);

        try (RawPeer back = nva()) {
            for (UpdateMessage u : table(0)) {
                back.send(u);
            }
            back.send(UpdateMessage.endOfRib(AddressFamily.IPV4_UNICAST));
            back.send(UpdateMessage.endOfRib(AddressFamily.IPV6_UNICAST));
            Await.until("End-of-RIB to remove what the NVA did not send again", WAIT,
                    () -> second.routeServer().learned("nva").join().size() == 512 + 16);
            assertTrue(second.routeServer().stale("nva").join().isEmpty(), "nothing stale after End-of-RIB");
            Set<InetAddress> setZeroHops = Set.of(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("2001:db8::1"));
            assertTrue(second.routeServer().learned("nva").join().stream().allMatch(p -> setZeroHops.contains(p.nextHop())),
                    "only what the NVA sent again");
        }
    }

    @Test
    void aCrashedNodesJournalWithoutAClosingSnapshotReplaysToTheSameRib() throws Exception {
        CairnNode first = node(dir.resolve("journal"));
        try (RawPeer nva = learnTable(first)) {
            // Change part of it, so replay has withdrawals and replacements to apply, not only announcements.
            UpdateMessage v4 = table(1).get(0);
            nva.send(new UpdateMessage(v4.nlri().subList(0, 100), List.of(), List.of()));
            nva.send(new UpdateMessage(List.of(), table(2).get(0).attributes(), v4.nlri().subList(100, 200)));
            InetAddress replaced = InetAddress.getByName("192.0.2.3");
            Prefix moved = v4.nlri().get(150);
            Await.until("the changes to be learned", WAIT, () -> first.routeServer().learned("nva").join().stream()
                    .filter(p -> p.prefix().equals(moved)).anyMatch(p -> p.nextHop().equals(replaced))
                    && first.routeServer().learned("nva").join().size() == tableSize() - 100);
            List<Path> learned = first.routeServer().learned("nva").join();
            Map<Prefix, DecisionProcess.Selection> best = first.routeServer().best().join();
            // A copy of the files while the node runs, with no snapshot since the table came in: a crash image.
            assertEquals(0, first.sessionJournal().snapshots());
            java.nio.file.Path image = copy(dir.resolve("journal"), dir.resolve("crash-image"));
            first.close();
            nodes.remove(first);

            CairnNode second = node(image);
            assertSameRib(learned, best, second);
        }
    }

    private static java.nio.file.Path copy(java.nio.file.Path from, java.nio.file.Path to) throws IOException {
        try (Stream<java.nio.file.Path> files = Files.walk(from)) {
            for (java.nio.file.Path f : files.toList()) {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
        return to;
    }
}
