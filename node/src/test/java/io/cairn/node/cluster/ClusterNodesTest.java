package io.cairn.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.CairnNode;
import io.cairn.node.admin.RunningNode;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.config.ConfigLoader;
import io.cairn.node.journal.TcpGate;
import io.cairn.node.rib.DecisionProcess;
import io.cairn.node.rib.Path;
import io.cairn.sdn.IpLiteral;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnException;
import io.cairn.sdn.SdnHealth;
import io.cairn.sdn.file.FileDriver;
import io.cairn.testsupport.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two cluster nodes in one JVM, a real ZooKeeper (curator-test), real BGP speakers as NVAs and the
 * file SDN driver shared by both, with every write recorded with its epoch.
 */
class ClusterNodesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final IpPrefix ONPREM = IpPrefix.parse("10.250.0.0/16");
    private static final IpPrefix DEFAULT = IpPrefix.parse("0.0.0.0/0");

    @TempDir
    java.nio.file.Path dir;

    private TestingServer zookeeper;
    private final List<RecordingSdn.Write> writes = RecordingSdn.log();
    private final List<AutoCloseable> open = new ArrayList<>();
    private java.nio.file.Path sdnFile;
    /** cluster.persist of the nodes a test starts. */
    private Duration persist = Duration.ofSeconds(30);
    /** The test's nodes: a, started first, leads. */
    private CairnNode a;
    private CairnNode b;

    @BeforeEach
    void startZooKeeper() throws Exception {
        zookeeper = new TestingServer(true);
        sdnFile = dir.resolve("effective-routes.json");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        zookeeper.close();
    }

    @Test
    void oneLeaderProgramsTheSdnAndClosingItHandsOverWithAHigherEpochThatWritesNothing() throws Exception {
        startLeaderAThenB();
        Await.until("10.250.0.0/16 programmed and the leader in sync", WAIT,
                () -> sdn().routes().containsKey(ONPREM) && state(a) == SdnHealth.State.IN_SYNC);
        Await.until("b sees the route too", WAIT, () -> hops(b).containsKey(Prefix.parse("10.250.0.0/16")));
        long first = a.leadership().orElseThrow().epoch();
        assertTrue(!b.leadership().orElseThrow().isLeader(), "two leaders");
        assertTrue(writes.stream().allMatch(w -> w.node().equals("a") && w.epoch() == first),
                "only the leader writes, with its epoch: " + writes);

        close(a);
        Await.until("b leads in sync", WAIT, () -> state(b) == SdnHealth.State.IN_SYNC);
        long second = b.leadership().orElseThrow().epoch();
        assertTrue(second > first, "the new epoch " + second + " is not above " + first);
        List<RecordingSdn.Write> byB = writes.stream().filter(w -> w.node().equals("b")).toList();
        assertTrue(byB.stream().allMatch(w -> w.epoch() == second && w.diff().isEmpty()),
                "the new leader's first reconcile changed the SDN: " + byB);
        assertEquals(Set.of(IpLiteral.parse("127.0.0.63")), sdn().routes().get(ONPREM));
        assertEquals(second, b.sdnHealth().orElseThrow().epoch());
    }

    @Test
    void aRouteOnlyTheFollowerHearsReachesTheLeadersSdnAndBothLocRibsAgree() throws Exception {
        startLeaderAThenB();
        nva(64, 65002, "0.0.0.0/0", b);

        Await.until("0.0.0.0/0, heard only by b, programmed by the leader a", WAIT,
                () -> Set.of(IpLiteral.parse("127.0.0.64")).equals(sdn().routes().get(DEFAULT))
                        && sdn().routes().containsKey(ONPREM) && state(a) == SdnHealth.State.IN_SYNC);
        Await.until("both Loc-RIBs equal", WAIT, () -> hops(a).size() == 3 && hops(a).equals(hops(b)));
        assertEquals(Set.of(IpLiteral.parse("127.0.0.63")), sdn().routes().get(ONPREM),
                "the SD-WAN NVA heard by both nodes is one next hop");
        assertTrue(writes.stream().allMatch(w -> w.node().equals("a")), "the follower wrote: " + writes);
        assertEquals(List.of(), advertised(a, "sdwan", "0.0.0.0/0"),
                "a exports only what it learned itself: b's route is for the SDN, not for a's peers");
    }

    @Test
    void oneNvaHeardByBothNodesIsOnePathInTheCountsAndTheDigest() throws Exception {
        startLeaderAThenB();
        Await.until("each node has its own path and its copy of the other's", WAIT,
                () -> hasOwnAndCopy(a) && hasOwnAndCopy(b));
        for (CairnNode n : List.of(a, b)) {
            assertEquals(1, candidates(n, "10.250.0.0/16"), n + ": routes best lists the SD-WAN NVA once");
            assertEquals(0, n.routeServer().counts().get(5, TimeUnit.SECONDS).ecmpSets(),
                    n + ": the SD-WAN NVA heard through both nodes is no ECMP set");
            assertEquals(1, digest(n).adjRibInPaths(), n + ": its own session's path only, not its copy of the other's");
        }
        assertEquals(digest(a), digest(b), "the same peers and routes, the same digest");

        nva(64, 65002, "10.250.0.0/16", b); // a second NVA, heard by b only: a real ECMP set on both nodes
        Await.until("both Loc-RIBs have both next hops", WAIT,
                () -> hops(a).get(Prefix.parse("10.250.0.0/16")).size() == 2 && hops(a).equals(hops(b)));
        for (CairnNode n : List.of(a, b)) {
            assertEquals(1, n.routeServer().counts().get(5, TimeUnit.SECONDS).ecmpSets(), n + ": one ECMP set");
            assertEquals(2, candidates(n, "10.250.0.0/16"), n + ": routes best lists each NVA once");
        }
        assertEquals(1, digest(a).adjRibInPaths());
        assertEquals(2, digest(b).adjRibInPaths());
        assertEquals(digest(a).locRibHash(), digest(b).locRibHash(), "every node computes the same Loc-RIB");
    }

    /**
     * {@code node} learned 10.250.0.0/16 from its own session and applied the other node's copy: three
     * paths with its VNet route.
     */
    private static boolean hasOwnAndCopy(CairnNode node) {
        try {
            boolean own = node.routeServer().learned("sdwan").get(5, TimeUnit.SECONDS).stream()
                    .anyMatch(p -> p.prefix().equals(Prefix.parse("10.250.0.0/16")));
            return own && node.routeServer().counts().get(5, TimeUnit.SECONDS).paths() == 3;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The ECMP set of a prefix as {@code routes best} lists it. */
    private static int candidates(CairnNode node, String prefix) {
        try {
            DecisionProcess.Selection s = node.routeServer().best().get(5, TimeUnit.SECONDS).get(Prefix.parse(prefix));
            return s == null ? 0 : s.ecmp().size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static io.cairn.node.rib.RibDigest digest(CairnNode node) throws Exception {
        return node.routeServer().digest().get(5, TimeUnit.SECONDS);
    }

    /**
     * b's copy of the firewall's paths, kept stale on a when the firewall's session with b drops
     * without a NOTIFICATION (graceful restart), gives way to a's own session with the firewall only
     * once that session has sent its table (End-of-RIB), not the moment it is up: until then the
     * default route stays programmed.
     */
    @Test
    void aStaleCopyStaysUntilTheNvasOwnSessionHereHasSentEndOfRib() throws Exception {
        a = node("a", 61);
        awaitLeader(a);
        b = node("b", 62);
        try (RawPeer toB = firewall(b)) {
            toB.send(RunningNode.announce(65002, 64, "0.0.0.0/0"));
            toB.send(UpdateMessage.endOfRib(AddressFamily.IPV4_UNICAST));
            Await.until("0.0.0.0/0, heard by b only, programmed by a", WAIT, () -> sdn().routes().containsKey(DEFAULT));
            try (RawPeer toA = firewall(a)) {
                // a's RIB has the session (it exports its VNet route there); its table is not sent yet.
                RunningNode.readUntil(toA, UpdateMessage.class, u -> u.nlri().contains(Prefix.parse("10.1.0.0/16")));
                toB.close();
                Await.never("0.0.0.0/0 withdrawn before the firewall's session with a said what holds",
                        Duration.ofSeconds(3), () -> !hops(a).containsKey(Prefix.parse("0.0.0.0/0"))
                                || !sdn().routes().containsKey(DEFAULT));
                toA.send(UpdateMessage.endOfRib(AddressFamily.IPV4_UNICAST)); // and nothing announced to a
                Await.until("0.0.0.0/0 gone once it has", WAIT, () -> !sdn().routes().containsKey(DEFAULT));
            }
        }
    }

    /** The firewall NVA (127.0.0.64, AS 65002) as a raw session to {@code node}, with graceful restart. */
    private static RawPeer firewall(CairnNode node) throws Exception {
        RawPeer raw = new RawPeer(Loopback.address(64), node.boundAddress());
        raw.establish(OpenMessage.of(65002, 0, 0x7F000040L, List.of(
                new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65002),
                new Capability.GracefulRestart(false, false, 120,
                        List.of(new Capability.GracefulRestart.Family(AddressFamily.IPV4_UNICAST, true))))), WAIT);
        return raw;
    }

    @Test
    void aDepartedMembersRoutesStayForThePersistTimeThenGo() throws Exception {
        persist = Duration.ofSeconds(8);
        startLeaderAThenB();
        nva(64, 65002, "0.0.0.0/0", b);
        Await.until("0.0.0.0/0, heard only by b, programmed", WAIT, () -> sdn().routes().containsKey(DEFAULT));

        long left = System.nanoTime();
        close(b); // its journal stops before its sessions close: its replica still has the route
        Await.never("b's route gone before the persist time", persist.minusSeconds(2),
                () -> !sdn().routes().containsKey(DEFAULT));
        Await.until("b's route gone after the persist time", WAIT, () -> !sdn().routes().containsKey(DEFAULT));
        assertTrue(System.nanoTime() - left >= persist.toNanos(), "gone before the persist time");
        assertEquals(Set.of(IpLiteral.parse("127.0.0.63")), sdn().routes().get(ONPREM),
                "what a still hears itself stays");
    }

    @Test
    void aMemberGoneForThePersistTimeDoesNotComeBackFromItsReplicaWhenTheNodeRestarts() throws Exception {
        persist = Duration.ofSeconds(8); // longer than a's restart: without the note of b's departure, b's route would be back
        startLeaderAThenB();
        nva(64, 65002, "0.0.0.0/0", b);
        Await.until("0.0.0.0/0, heard only by b, programmed", WAIT, () -> sdn().routes().containsKey(DEFAULT));
        close(b);
        Await.until("b's route gone after the persist time", WAIT, () -> !sdn().routes().containsKey(DEFAULT));

        close(a);
        a = node("a", 61); // the same journal, with b's replica, and b still away
        Await.until("a leads in sync again", WAIT, () -> a.leadership().orElseThrow().isLeader()
                && state(a) == SdnHealth.State.IN_SYNC);
        assertTrue(!hops(a).containsKey(Prefix.parse("0.0.0.0/0")), "b's route came back from its replica");
        assertTrue(!sdn().routes().containsKey(DEFAULT), "b's route programmed again");
        assertTrue(sdn().routes().containsKey(ONPREM), "a's own routes, kept stale over its restart, stay");
    }

    @Test
    void aMemberWhoseReplicationStallsKeepsTheRoutesOnlyItHeardForThePersistTimeThenTheyGoUntilItMovesAgain()
            throws Exception {
        persist = Duration.ofSeconds(6);
        a = node("a", 61);
        awaitLeader(a);
        // a pulls b through a gate: b stays in ZooKeeper while its journal becomes unreachable for a.
        int port = Loopback.freePort(Loopback.address(62));
        TcpGate gate = new TcpGate(new InetSocketAddress(Loopback.address(162), port), Loopback.address(162),
                new InetSocketAddress(Loopback.address(62), port));
        open.add(gate);
        gate.open(true);
        b = node("b", 62, port, "127.0.0.162");
        nva(63, 65001, "10.250.0.0/16", a, b);
        nva(64, 65002, "0.0.0.0/0", b);
        Await.until("0.0.0.0/0, heard only by b, programmed", WAIT,
                () -> sdn().routes().containsKey(DEFAULT) && sdn().routes().containsKey(ONPREM));

        gate.open(false);
        gate.cut();
        long stalled = System.nanoTime();
        Await.never("b's route gone before the persist time", persist.minusSeconds(2),
                () -> !sdn().routes().containsKey(DEFAULT));
        Await.until("b's route gone after the persist time", WAIT, () -> !sdn().routes().containsKey(DEFAULT));
        assertTrue(System.nanoTime() - stalled >= persist.toNanos(), "gone before the persist time");
        assertEquals(Set.of(IpLiteral.parse("127.0.0.63")), sdn().routes().get(ONPREM),
                "fail static: what a still hears itself stays");
        assertTrue(a.cluster().orElseThrow().members().stream().anyMatch(m -> m.id().equals("b")),
                "b is still a member: only its replication stalled");

        gate.open(true);
        Await.until("b's route back once its replication moves again", WAIT,
                () -> sdn().routes().containsKey(DEFAULT));
        assertEquals(Set.of(IpLiteral.parse("127.0.0.64")), sdn().routes().get(DEFAULT));
    }

    /** Node a, leading, then node b, and the SD-WAN NVA peering with both. */
    private void startLeaderAThenB() throws Exception {
        a = node("a", 61);
        awaitLeader(a);
        b = node("b", 62);
        nva(63, 65001, "10.250.0.0/16", a, b);
    }

    private CairnNode node(String id, int last) throws Exception {
        return node(id, last, Loopback.freePort(Loopback.address(last)), "127.0.0." + last);
    }

    /** A node serving its journal on {@code replicationPort} and telling the others to dial {@code advertise} for it. */
    private CairnNode node(String id, int last, int replicationPort, String advertise) throws Exception {
        InetAddress ip = Loopback.address(last);
        String yaml = """
                node: {id: %s, router-id: 127.0.0.%d, listen: "127.0.0.%d:%d"}
                vnet: {prefixes: [10.1.0.0/16]}
                peers:
                  - {name: sdwan, address: 127.0.0.63, asn: 65001, passive: true}
                  - {name: fw, address: 127.0.0.64, asn: 65002, passive: true}
                journal: {dir: "%s"}
                cluster: {zookeeper: "%s", name: test, session-timeout: 4s, persist: %dms,
                          replication: {listen: "127.0.0.%d:%d", advertise: %s}}
                """.formatted(id, last, last, Loopback.freePort(ip), dir.resolve("journal-" + id),
                zookeeper.getConnectString(), persist.toMillis(), last, replicationPort, advertise);
        CairnNode node = CairnNode.fromConfig(ConfigLoader.parse(yaml, id + ".yaml"));
        open.add(node);
        node.programSdn(new RecordingSdn(id, sdnFile, writes));
        return node.start();
    }

    /** An NVA (a Cairn speaker) at 127.0.0.{@code last} originating {@code prefix}, peering with every node given. */
    private void nva(int last, long asn, String prefix, CairnNode... nodes) throws Exception {
        List<io.cairn.node.config.PeerConfig> peers = new ArrayList<>();
        for (CairnNode n : nodes) {
            InetSocketAddress at = n.boundAddress();
            // Not reflecting between the nodes: a route of one node must reach the other only by replication.
            peers.add(new io.cairn.node.config.PeerConfig("node-" + at.getAddress().getHostAddress(), at.getAddress(),
                    65515, 90, null, 10_000, false, false, at.getPort()));
        }
        CairnNode nva = new CairnNode(asn, 0x7f000000L | last, new InetSocketAddress(Loopback.address(last), 0),
                List.of(Prefix.parse(prefix)), peers);
        open.add(nva);
        nva.start();
    }

    private void close(CairnNode node) {
        open.remove(node);
        node.close();
    }

    private static void awaitLeader(CairnNode node) {
        Await.until(node + " leads", WAIT, () -> node.leadership().orElseThrow().isLeader());
    }

    private static SdnHealth.State state(CairnNode node) {
        return node.sdnHealth().orElseThrow().state();
    }

    private RouteTable sdn() {
        try {
            return new FileDriver(sdnFile).read();
        } catch (SdnException e) {
            throw new AssertionError(e);
        }
    }

    /** The Loc-RIB as next-hop sets per prefix (the sources differ between nodes, the hops must not). */
    private static Map<Prefix, Set<InetAddress>> hops(CairnNode node) {
        try {
            Map<Prefix, DecisionProcess.Selection> best = node.routeServer().best().get(5, TimeUnit.SECONDS);
            Map<Prefix, Set<InetAddress>> out = new TreeMap<>();
            best.forEach((p, s) -> out.put(p, s.ecmp().stream().map(Path::nextHop)
                    .filter(java.util.Objects::nonNull).collect(Collectors.toSet())));
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<Prefix> advertised(CairnNode node, String peer, String prefix) throws Exception {
        return node.routeServer().advertised(peer).get(5, TimeUnit.SECONDS).keySet().stream()
                .filter(p -> p.equals(Prefix.parse(prefix))).toList();
    }
}
