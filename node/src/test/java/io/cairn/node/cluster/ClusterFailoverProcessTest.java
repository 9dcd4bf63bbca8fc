package io.cairn.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.cluster.testing.ZooKeeperEnsemble;
import io.cairn.node.admin.Http;
import io.cairn.node.cli.CairnJvm;
import io.cairn.node.interop.BirdDaemon;
import io.cairn.node.interop.DaemonSpec;
import io.cairn.node.interop.Route;
import io.cairn.node.interop.Tools;
import io.cairn.testsupport.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster as it runs: every node a {@code cairn run} process, a ZooKeeper ensemble of three
 * server processes, two BIRD NVAs each peering with every node, the file SDN driver shared by
 * the nodes. The leader is killed with SIGKILL.
 */
class ClusterFailoverProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ZooKeeperEnsemble zookeeper;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<Process> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : nodes) {
            p.destroyForcibly();
            p.waitFor(15, TimeUnit.SECONDS);
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    /** A node: its process, addresses and admin API. */
    private record Node(String id, String address, int bgpPort, Http admin, Process process) {
    }

    /** What every test starts with: programmed by the leader. */
    private static final Map<String, List<String>> EXPECTED = Map.of("10.250.0.0/16", List.of("127.0.0.83"),
            "10.240.0.0/16", List.of("127.0.0.84"));

    private Path sdn;
    private Node leader;
    private Node survivor;
    private BirdDaemon sdwan;
    private BirdDaemon firewall;

    /** ZooKeeper, nodes a and b, the two NVAs and their routes; {@code extra} announced by the firewall too. */
    private void startCluster(String... extra) throws Exception {
        Tools.requireBinary("bird");
        zookeeper = ZooKeeperEnsemble.start(dir.resolve("zookeeper"), 3);
        sdn = dir.resolve("effective-routes.json");
        Node a = node("a", "127.0.0.81", sdn);
        Node b = node("b", "127.0.0.82", sdn);
        sdwan = nva(65001, "127.0.0.83", a, b);
        firewall = nva(65002, "127.0.0.84", a, b);
        sdwan.announce(Route.of("10.250.0.0/16", "127.0.0.83"));
        firewall.announce(Route.of("10.240.0.0/16", "127.0.0.84"));
        java.util.Set<String> all = new java.util.HashSet<>(EXPECTED.keySet());
        for (String prefix : extra) {
            firewall.announce(Route.of(prefix, "127.0.0.84"));
            all.add(prefix);
        }
        Await.until("the routes programmed", WAIT, () -> routes(sdn).keySet().equals(all));
        Await.until("one leader", WAIT, () -> leads(a) != leads(b));
        leader = leads(a) ? a : b;
        survivor = leader == a ? b : a;
    }

    @Test
    void killingTheLeaderHandsOverWithAHigherEpochLosingNoRouteAndNoSessionToTheSurvivor() throws Exception {
        // And a route withdrawn while the leader is killed stays withdrawn (no resurrection).
        startCluster("10.241.0.0/16");
        long epoch = epoch(sdn);

        // From the kill on: the SDN never loses a route, BIRD never loses its sessions to the survivor.
        List<String> lost = new CopyOnWriteArrayList<>();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        watch.scheduleWithFixedDelay(() -> {
            try {
                Map<String, List<String>> now = routes(sdn);
                if (!now.entrySet().containsAll(EXPECTED.entrySet())) {
                    lost.add("SDN " + now);
                }
                for (BirdDaemon nva : List.of(sdwan, firewall)) {
                    if (!nva.isEstablished(survivor.address())) {
                        lost.add(nva.spec().localAddress() + " to " + survivor.id());
                    }
                }
            } catch (RuntimeException e) {
                lost.add("watch failed: " + e);
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        long killed = System.nanoTime();
        try {
            leader.process().destroyForcibly(); // SIGKILL
            firewall.withdraw("10.241.0.0/16");
            Await.until(survivor.id() + " leads", WAIT, () -> leads(survivor));
            long leadsAfterMillis = (System.nanoTime() - killed) / 1_000_000;
            Await.until("the new leader claimed the SDN with a higher epoch", WAIT, () -> epoch(sdn) > epoch);
            long claimedAfterMillis = (System.nanoTime() - killed) / 1_000_000;
            System.out.println("cluster failover: " + survivor.id() + " leads " + leadsAfterMillis
                    + " ms after SIGKILL of " + leader.id() + ", first SDN write (epoch claim) after "
                    + claimedAfterMillis + " ms (session timeout " + SESSION_TIMEOUT.toMillis() + " ms)");
            assertTrue(leadsAfterMillis <= SESSION_TIMEOUT.plusSeconds(1).toMillis() + 500,
                    "failover took " + leadsAfterMillis + " ms (the admin poll adds up to a few ms)");
            // A while longer, for anything the survivor would withdraw late.
            Await.never("a route lost", SESSION_TIMEOUT.plusSeconds(2), () -> !lost.isEmpty());
        } finally {
            watch.shutdown();
            watch.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), lost, "lost after the kill");
        Await.until("the route withdrawn meanwhile gone", WAIT, () -> EXPECTED.equals(routes(sdn)));
    }

    @Test
    void aLeaderPausedPastItsSessionWritesNothingWhenItResumesAndStepsDown() throws Exception {
        startCluster();
        long epoch = epoch(sdn);
        signal("STOP", leader.process());
        try {
            Await.until(survivor.id() + " leads", WAIT, () -> leads(survivor));
            Await.until("the new leader claimed the SDN", WAIT, () -> epoch(sdn) > epoch);
        } finally {
            signal("CONT", leader.process());
        }
        long newer = epoch(sdn);
        Await.until(leader.id() + " answers again, not leading", WAIT,
                () -> clusterView(leader) != null && !leads(leader));
        Await.never("the resumed node disturbs the SDN", SESSION_TIMEOUT.plusSeconds(2),
                () -> epoch(sdn) != newer || !EXPECTED.equals(routes(sdn)));
        assertTrue(leads(survivor), "the new leader lost its term");
        for (BirdDaemon nva : List.of(sdwan, firewall)) {
            assertTrue(nva.isEstablished(survivor.address()), nva.spec().localAddress() + " lost the survivor");
        }
    }

    @Test
    void withZooKeeperDownNothingIsWithdrawnAndItsReturnElectsOneLeaderWithoutChurn() throws Exception {
        startCluster();
        // Two of three gone: no quorum, so the last one serves no client either. (Restarting one
        // server of a fully stopped ensemble would wait for a quorum that never forms.)
        zookeeper.kill(1);
        zookeeper.kill(2);
        Await.until("no node leads without ZooKeeper", WAIT, () -> !leads(leader) && !leads(survivor));
        // Learned meanwhile: journaled and replicated, programmed once there is a leader again.
        firewall.announce(Route.of("10.242.0.0/16", "127.0.0.84"));
        Await.never("a route withdrawn while ZooKeeper is down", Duration.ofSeconds(10),
                () -> !EXPECTED.equals(routes(sdn)));
        zookeeper.restart(1);
        zookeeper.restart(2);
        Map<String, List<String>> after = new java.util.TreeMap<>(EXPECTED);
        after.put("10.242.0.0/16", List.of("127.0.0.84"));
        Await.until("one leader again, the route learned meanwhile programmed", WAIT,
                () -> leads(leader) != leads(survivor) && after.equals(routes(sdn)));
        for (BirdDaemon nva : List.of(sdwan, firewall)) {
            for (Node n : List.of(leader, survivor)) {
                assertTrue(nva.isEstablished(n.address()), nva.spec().localAddress() + " lost " + n.id());
            }
        }
    }

    private static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
    }

    private Node node(String id, String address, Path sdn) throws IOException {
        int bgp = Tools.freePort(address);
        int admin = Tools.freePort(address);
        Path config = Files.writeString(dir.resolve(id + ".yaml"), """
                node: {id: %s, router-id: %s, listen: "%s:%d"}
                vnet: {prefixes: [10.1.0.0/16]}
                peers:
                  - {name: sdwan, address: 127.0.0.83, asn: 65001, passive: true}
                  - {name: firewall, address: 127.0.0.84, asn: 65002, passive: true}
                admin: {listen: "%s:%d"}
                journal: {dir: "%s"}
                sdn: {driver: file, file: {path: "%s"}}
                cluster: {zookeeper: "%s", name: failover, session-timeout: %dms,
                          replication: {listen: "%s:%d"}}
                """.formatted(id, address, address, bgp, address, admin, dir.resolve("journal-" + id), sdn,
                zookeeper.connectString(), SESSION_TIMEOUT.toMillis(), address, Tools.freePort(address)));
        Process p = new ProcessBuilder(CairnJvm.command(List.of(), "run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve(id + ".log").toFile()).start();
        nodes.add(p);
        Node node = new Node(id, address, bgp, new Http(address + ":" + admin), p);
        Await.until(id + " answers", WAIT, () -> {
            assertTrue(p.isAlive(), id + " exited; see " + dir.resolve(id + ".log"));
            return clusterView(node) != null;
        });
        return node;
    }

    /** A BIRD NVA peering actively with every node; the nodes are route servers (RFC 7947). */
    private BirdDaemon nva(long asn, String address, Node... to) {
        List<DaemonSpec.Neighbor> neighbors = new ArrayList<>();
        for (Node n : to) {
            neighbors.add(new DaemonSpec.Neighbor(n.address(), n.bgpPort(), 65515, false, null, false, true));
        }
        BirdDaemon bird = new BirdDaemon(new DaemonSpec(address, asn, address, Tools.freePort(address), neighbors));
        open.add(bird);
        for (Node n : to) {
            bird.awaitEstablished(n.address(), WAIT);
        }
        return bird;
    }

    private static JsonNode clusterView(Node node) {
        try {
            return node.admin().get("/api/v1/cluster").json();
        } catch (Exception notYet) {
            return null;
        }
    }

    private static boolean leads(Node node) {
        JsonNode view = clusterView(node);
        return view != null && view.get("leader").asBoolean();
    }

    private static Map<String, List<String>> routes(Path sdn) {
        JsonNode doc = document(sdn);
        Map<String, List<String>> out = new java.util.TreeMap<>();
        if (doc != null) {
            doc.get("routes").fields().forEachRemaining(e -> {
                List<String> hops = new ArrayList<>();
                e.getValue().forEach(h -> hops.add(h.asText()));
                out.put(e.getKey(), hops);
            });
        }
        return out;
    }

    private static long epoch(Path sdn) {
        JsonNode doc = document(sdn);
        return doc == null ? 0 : doc.get("epoch").asLong();
    }

    /** The file driver's document, or null before its first write (it is replaced by rename, never half-written). */
    private static JsonNode document(Path sdn) {
        try {
            return Files.exists(sdn) ? JSON.readTree(sdn.toFile()) : null;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
