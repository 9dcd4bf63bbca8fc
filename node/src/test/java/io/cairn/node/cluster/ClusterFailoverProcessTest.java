package io.cairn.node.cluster;

import static io.cairn.node.cluster.ProcessCluster.SESSION_TIMEOUT;
import static io.cairn.node.cluster.ProcessCluster.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.cluster.ProcessCluster.Node;
import io.cairn.node.interop.BirdDaemon;
import io.cairn.node.interop.Route;
import io.cairn.testsupport.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover as it runs ({@link ProcessCluster}): nodes a and b, two BIRD NVAs each peering with
 * both. The leader is killed with SIGKILL, paused with SIGSTOP, or ZooKeeper loses its quorum.
 */
class ClusterFailoverProcessTest {

    @TempDir
    Path dir;

    private ProcessCluster cluster;

    @AfterEach
    void stopAll() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What every test starts with: programmed by the leader. */
    private static final Map<String, List<String>> EXPECTED = Map.of("10.250.0.0/16", List.of("127.0.0.83"),
            "10.240.0.0/16", List.of("127.0.0.84"));

    private Node leader;
    private Node survivor;
    private BirdDaemon sdwan;
    private BirdDaemon firewall;

    /** ZooKeeper, nodes a and b, the two NVAs and their routes; {@code extra} announced by the firewall too. */
    private void startCluster(String... extra) throws Exception {
        cluster = ProcessCluster.start(dir);
        Node a = cluster.node("a", "127.0.0.81");
        Node b = cluster.node("b", "127.0.0.82");
        sdwan = cluster.nva(65001, "127.0.0.83", a, b);
        firewall = cluster.nva(65002, "127.0.0.84", a, b);
        sdwan.announce(Route.of("10.250.0.0/16", "127.0.0.83"));
        firewall.announce(Route.of("10.240.0.0/16", "127.0.0.84"));
        Set<String> all = new HashSet<>(EXPECTED.keySet());
        for (String prefix : extra) {
            firewall.announce(Route.of(prefix, "127.0.0.84"));
            all.add(prefix);
        }
        Await.until("the routes programmed", WAIT, () -> cluster.routes().keySet().equals(all));
        leader = cluster.awaitOneLeader(List.of(a, b));
        survivor = leader == a ? b : a;
    }

    @Test
    void killingTheLeaderHandsOverWithAHigherEpochLosingNoRouteAndNoSessionToTheSurvivor() throws Exception {
        // Issue 6 a, and g: a route withdrawn while the leader is killed stays withdrawn (no resurrection).
        startCluster("10.241.0.0/16");
        long epoch = cluster.epoch();

        // From the kill on: the SDN never loses a route, BIRD never loses its sessions to the survivor.
        List<String> lost = new CopyOnWriteArrayList<>();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        watch.scheduleWithFixedDelay(() -> {
            try {
                Map<String, List<String>> now = cluster.routes();
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
            Await.until(survivor.id() + " leads", WAIT, survivor::leads);
            long leadsAfterMillis = (System.nanoTime() - killed) / 1_000_000;
            Await.until("the new leader claimed the SDN with a higher epoch", WAIT, () -> cluster.epoch() > epoch);
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
        Await.until("the route withdrawn meanwhile gone", WAIT, () -> EXPECTED.equals(cluster.routes()));
        Await.never("the withdrawn route back", Duration.ofSeconds(3), () -> !EXPECTED.equals(cluster.routes()));
    }

    @Test
    void aLeaderPausedPastItsSessionWritesNothingWhenItResumesAndStepsDown() throws Exception {
        startCluster();
        long epoch = cluster.epoch();
        signal("STOP", leader.process());
        try {
            Await.until(survivor.id() + " leads", WAIT, survivor::leads);
            Await.until("the new leader claimed the SDN", WAIT, () -> cluster.epoch() > epoch);
        } finally {
            signal("CONT", leader.process());
        }
        long newer = cluster.epoch();
        Await.until(leader.id() + " answers again, not leading", WAIT,
                () -> leader.clusterView() != null && !leader.leads());
        Await.never("the resumed node disturbs the SDN", SESSION_TIMEOUT.plusSeconds(2),
                () -> cluster.epoch() != newer || !EXPECTED.equals(cluster.routes()));
        assertTrue(survivor.leads(), "the new leader lost its term");
        for (BirdDaemon nva : List.of(sdwan, firewall)) {
            assertTrue(nva.isEstablished(survivor.address()), nva.spec().localAddress() + " lost the survivor");
        }
    }

    @Test
    void withZooKeeperDownNothingIsWithdrawnAndItsReturnElectsOneLeaderWithoutChurn() throws Exception {
        startCluster();
        // Two of three gone: no quorum, so the last one serves no client either. (Restarting one
        // server of a fully stopped ensemble would wait for a quorum that never forms.)
        cluster.zookeeper().kill(1);
        cluster.zookeeper().kill(2);
        Await.until("no node leads without ZooKeeper", WAIT, () -> !leader.leads() && !survivor.leads());
        // Learned meanwhile: journaled and replicated, programmed once there is a leader again.
        firewall.announce(Route.of("10.242.0.0/16", "127.0.0.84"));
        Await.never("a route withdrawn while ZooKeeper is down", Duration.ofSeconds(10),
                () -> !EXPECTED.equals(cluster.routes()));
        cluster.zookeeper().restart(1);
        cluster.zookeeper().restart(2);
        Map<String, List<String>> after = new TreeMap<>(EXPECTED);
        after.put("10.242.0.0/16", List.of("127.0.0.84"));
        Await.until("one leader again, the route learned meanwhile programmed", WAIT,
                () -> leader.leads() != survivor.leads() && after.equals(cluster.routes()));
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
}
