package io.cairn.node.cluster;

import static io.cairn.node.cluster.ProcessCluster.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.cluster.ProcessCluster.Node;
import io.cairn.node.interop.BirdDaemon;
import io.cairn.node.interop.Route;
import io.cairn.testsupport.Await;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 c, e and f as they run ({@link ProcessCluster}): an NVA heard by the follower only, a
 * node restarted after SIGKILL, and a rolling restart of three nodes. The SDN is watched all
 * along: sampled every 50 ms, and every node's audit lines of writes that changed it counted.
 */
class ClusterRestartProcessTest {

    private static final String SDWAN = "127.0.0.83";
    private static final String FIREWALL = "127.0.0.84";
    private static final String BRANCH = "127.0.0.85";

    @TempDir
    Path dir;

    private ProcessCluster cluster;
    private final List<String> changed = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService watch;

    @AfterEach
    void stopAll() throws Exception {
        stopWatching();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anNvaPeeringOnlyWithTheFollowerHasItsRoutesProgrammedByTheLeader() throws Exception {
        cluster = ProcessCluster.start(dir);
        Node a = cluster.node("a", "127.0.0.81");
        Node leader = cluster.awaitOneLeader(List.of(a));
        Node follower = cluster.node("b", "127.0.0.82");
        BirdDaemon branch = cluster.nva(65003, BRANCH, follower);
        branch.announce(Route.of("10.230.0.0/16", BRANCH));

        Await.until("10.230.0.0/16, heard by " + follower + " only, programmed by " + leader, WAIT,
                () -> List.of(BRANCH).equals(cluster.routes().get("10.230.0.0/16")));
        assertTrue(leader.leads() && !follower.leads(), "leadership moved");
        String state = leader.admin().get("/api/v1/peers/branch").json().path("state").asText();
        assertTrue(!state.isEmpty() && !state.equals("Established"), "the branch NVA's session with the leader: " + state);
    }

    @Test
    void aNodeRestartedAfterACrashCatchesUpFromTheOthersAndItsJournalAndChangesNothingInTheSdn() throws Exception {
        cluster = ProcessCluster.start(dir);
        Node a = cluster.node("a", "127.0.0.81");
        cluster.awaitOneLeader(List.of(a));
        Node b = cluster.node("b", "127.0.0.82");
        BirdDaemon sdwan = cluster.nva(65001, SDWAN, a, b);
        BirdDaemon firewall = cluster.nva(65002, FIREWALL, a, b);
        BirdDaemon branch = cluster.nva(65003, BRANCH, b); // b's own journal is its only source
        sdwan.announce(Route.of("10.250.0.0/16", SDWAN));
        firewall.announce(Route.of("10.240.0.0/16", FIREWALL));
        firewall.announce(Route.of("10.241.0.0/16", FIREWALL));
        branch.announce(Route.of("10.230.0.0/16", BRANCH));
        Await.until("the routes programmed", WAIT, () -> cluster.routes().size() == 4);

        b.kill();
        // While b is down: one route learned and one withdrawn, which b can only hear of from a.
        firewall.withdraw("10.241.0.0/16");
        firewall.announce(Route.of("10.242.0.0/16", FIREWALL));
        Map<String, List<String>> expected = new TreeMap<>(Map.of("10.250.0.0/16", List.of(SDWAN),
                "10.240.0.0/16", List.of(FIREWALL), "10.242.0.0/16", List.of(FIREWALL),
                "10.230.0.0/16", List.of(BRANCH))); // the branch's stays for persist (2 min by default)
        Await.until("the leader programmed what changed while b was down", WAIT, () -> expected.equals(cluster.routes()));
        long epoch = cluster.epoch();
        long changes = cluster.changesWritten();

        watch(expected);
        b.start();
        for (BirdDaemon nva : List.of(sdwan, firewall, branch)) {
            nva.awaitEstablished(b.address(), WAIT);
        }
        Await.until("b caught up: its Loc-RIB is a's", WAIT,
                () -> b.locRibDigest() != null && Objects.equals(a.locRibDigest(), b.locRibDigest()));
        assertTrue(a.leads() && !b.leads(), "leadership moved");
        // A few replication and reconcile rounds more, for a late change.
        Await.never("an SDN change after b's restart", java.time.Duration.ofSeconds(4), this::sdnChanged);
        stopWatching();
        assertEquals(List.of(), changed, "the SDN changed");
        assertEquals(changes, cluster.changesWritten(), "a node wrote changes to the SDN");
        assertEquals(epoch, cluster.epoch(), "a node claimed the SDN");
    }

    @Test
    void aRollingRestartOfThreeNodesKeepsTheProgrammedTableUnchangedThroughout() throws Exception {
        cluster = ProcessCluster.start(dir);
        List<Node> nodes = List.of(cluster.node("a", "127.0.0.81"), cluster.node("b", "127.0.0.82"),
                cluster.node("c", "127.0.0.86"));
        BirdDaemon sdwan = cluster.nva(65001, SDWAN, nodes.toArray(Node[]::new));
        BirdDaemon firewall = cluster.nva(65002, FIREWALL, nodes.toArray(Node[]::new));
        sdwan.announce(Route.of("10.250.0.0/16", SDWAN));
        firewall.announce(Route.of("10.240.0.0/16", FIREWALL));
        Map<String, List<String>> expected = Map.of("10.250.0.0/16", List.of(SDWAN), "10.240.0.0/16", List.of(FIREWALL));
        Await.until("the routes programmed", WAIT, () -> expected.equals(cluster.routes()));
        cluster.awaitOneLeader(nodes);
        long changes = cluster.changesWritten();

        watch(expected);
        for (Node n : nodes) {
            n.stop();
            n.start();
            for (BirdDaemon nva : List.of(sdwan, firewall)) {
                nva.awaitEstablished(n.address(), WAIT);
            }
            Node leader = cluster.awaitOneLeader(nodes);
            Await.until(n + " caught up: its Loc-RIB is the leader's", WAIT,
                    () -> n.locRibDigest() != null && Objects.equals(leader.locRibDigest(), n.locRibDigest()));
            assertEquals(List.of(), changed, "the SDN changed while " + n + " restarted");
        }
        Await.never("an SDN change after the rolling restart", java.time.Duration.ofSeconds(4), this::sdnChanged);
        stopWatching();
        assertEquals(List.of(), changed, "the SDN changed");
        assertEquals(changes, cluster.changesWritten(), "a node wrote changes to the SDN");
    }

    /** Samples the SDN every 50 ms from now on; anything but {@code expected} goes to {@link #changed}. */
    private void watch(Map<String, List<String>> expected) {
        watch = Executors.newSingleThreadScheduledExecutor();
        watch.scheduleWithFixedDelay(() -> {
            try {
                Map<String, List<String>> now = cluster.routes();
                if (!expected.equals(now)) {
                    changed.add(now.toString());
                }
            } catch (RuntimeException e) {
                changed.add("watch failed: " + e);
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
    }

    /** Whether the watch saw a change; it prints what it saw, since {@link Await#never} fails with its own message. */
    private boolean sdnChanged() {
        if (!changed.isEmpty()) {
            System.out.println("the SDN changed: " + changed);
        }
        return !changed.isEmpty();
    }

    private void stopWatching() throws InterruptedException {
        if (watch != null) {
            watch.shutdown();
            assertTrue(watch.awaitTermination(10, TimeUnit.SECONDS), "the SDN watch did not stop");
            watch = null;
        }
    }
}
