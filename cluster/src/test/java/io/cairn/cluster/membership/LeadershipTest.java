package io.cairn.cluster.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.testsupport.Await;
import io.cairn.testsupport.LogCapture;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leader election with fencing epochs against real ZooKeeper servers. */
class LeadershipTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ClusterPaths PATHS = new ClusterPaths("test");

    private final LeadershipLog log = new LeadershipLog();
    private final List<Contender> contenders = new ArrayList<>();
    private final List<Closeable> servers = new ArrayList<>();

    /** Servers outlive the nodes, so nodes close against a live ensemble. */
    private <T extends Closeable> T keep(T server) {
        servers.add(server);
        return server;
    }

    /** One node's ZooKeeper client and leadership. */
    private record Contender(String id, ZooKeeperConnection connection, ZooKeeperLeadership leadership) {
        void close() throws IOException {
            leadership.close();
            connection.close();
        }
    }

    private Contender contender(String id, String connectString) throws InterruptedException {
        return contender(id, ZooKeeperTesting.connect(connectString));
    }

    private Contender contender(String id, ZooKeeperConnection connection) {
        ZooKeeperLeadership leadership = new ZooKeeperLeadership(connection, PATHS, id);
        leadership.addListener(log.listenerFor(id));
        leadership.start();
        Contender c = new Contender(id, connection, leadership);
        contenders.add(c);
        return c;
    }

    private List<Contender> startThree(String connectString) throws InterruptedException {
        return List.of(contender("a", connectString), contender("b", connectString), contender("c", connectString));
    }

    private List<Contender> leaders() {
        return contenders.stream().filter(c -> c.leadership().isLeader()).toList();
    }

    private Contender awaitOneLeader() {
        Await.until("exactly one leader", WAIT, () -> leaders().size() == 1);
        return leaders().get(0);
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Contender c : contenders) {
            c.close();
        }
        for (Closeable s : servers) {
            s.close();
        }
        log.assertConsistent();
    }

    @Test
    void aNewLeaderWithAHigherEpochEachTimeTheLeaderLeaves() throws Exception {
        TestingServer zk = keep(ZooKeeperTesting.server());
        startThree(zk.getConnectString());
        Contender first = awaitOneLeader();
        long firstEpoch = first.leadership().epoch();
        first.close();
        contenders.remove(first);

        Contender second = awaitOneLeader();
        assertTrue(second.leadership().epoch() > firstEpoch, "epoch grows: " + log.events());
        second.close();
        contenders.remove(second);

        Contender third = awaitOneLeader();
        assertTrue(third.leadership().epoch() > firstEpoch + 1, "epoch grows: " + log.events());
        log.assertConsistent();
    }

    @Test
    void aLeaderWhoseSessionExpiresStepsDownBeforeAnotherIsElected() throws Exception {
        TestingServer zk = keep(ZooKeeperTesting.server());
        contender("a", zk.getConnectString());
        contender("b", zk.getConnectString());
        Contender old = awaitOneLeader();
        long oldEpoch = old.leadership().epoch();
        // isLeader() turns true before the listener has logged the election: count from after it.
        Await.until("the election logged", WAIT,
                () -> log.events().stream().anyMatch(e -> e.node().equals(old.id()) && e.elected()));
        int before = log.size();

        KillSession.kill(old.connection().client().getZookeeperClient().getZooKeeper());

        Await.until("a new leader", WAIT, () -> leaders().size() == 1 && leaders().get(0) != old);
        Contender next = leaders().get(0);
        assertTrue(next.leadership().epoch() > oldEpoch);
        assertFalse(old.leadership().isLeader());
        List<LeadershipLog.Event> after = log.events().subList(before, log.size());
        assertEquals(new LeadershipLog.Event(before, old.id(), false, oldEpoch, after.get(0).nanos()), after.get(0),
                "the old leader's revocation comes first: " + after);
        log.assertConsistent();
    }

    @Test
    void zooKeeperDownMeansNoLeaderAndOneLeaderWithAHigherEpochWhenItReturns() throws Exception {
        TestingServer zk = keep(ZooKeeperTesting.server());
        startThree(zk.getConnectString());
        long oldEpoch = awaitOneLeader().leadership().epoch();

        zk.stop();
        Await.until("every node to step down", WAIT, () -> leaders().isEmpty());

        zk.restart();
        Contender leader = awaitOneLeader();
        assertTrue(leader.leadership().epoch() > oldEpoch, log.events().toString());
        log.assertConsistent();
    }

    @Test
    void quorumLossMeansNoLeaderAndOneLeaderWithAHigherEpochWhenItReturns() throws Exception {
        TestingCluster ensemble = keep(ZooKeeperTesting.ensembleOfThree());
        startThree(ensemble.getConnectString());
        long oldEpoch = awaitOneLeader().leadership().epoch();

        List<InstanceSpec> stopped = new ArrayList<>(ensemble.getInstances()).subList(0, 2);
        for (InstanceSpec spec : stopped) {
            assertTrue(ensemble.killServer(spec), "killed " + spec);
        }
        Await.until("every node to step down without a quorum", WAIT, () -> leaders().isEmpty());

        for (InstanceSpec spec : stopped) {
            assertTrue(ensemble.restartServer(spec), "restarted " + spec);
        }
        Contender leader = awaitOneLeader();
        assertTrue(leader.leadership().epoch() > oldEpoch, log.events().toString());
        log.assertConsistent();
    }

    @Test
    void unreachableZooKeeperAtStartLeavesTheNodeRunningAsNonLeaderUntilItComes() throws Exception {
        int port = ZooKeeperTesting.freePortOutsideEphemeralRange();
        Duration connectWait = Duration.ofSeconds(1);
        long started = System.nanoTime();
        Contender lonely = contender("a", ZooKeeperTesting.connect("127.0.0.1:" + port, connectWait));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(connectWait.multipliedBy(3)) < 0,
                "the connect wait is bounded");
        assertFalse(lonely.leadership().isLeader());
        assertEquals(Leadership.NO_EPOCH, lonely.leadership().epoch());

        TestingServer zk = keep(ZooKeeperTesting.serverOnPort(port));
        assertEquals(lonely, awaitOneLeader());
        assertTrue(lonely.leadership().epoch() > Leadership.NO_EPOCH);
    }

    @Test
    void everyLeadershipChangeIsLoggedOnceWithItsEpochOrItsReason() throws Exception {
        try (LogCapture lines = new LogCapture(ZooKeeperLeadership.class)) {
            TestingServer zk = keep(ZooKeeperTesting.server());
            contender("a", zk.getConnectString());
            contender("b", zk.getConnectString());
            Contender old = awaitOneLeader();
            long oldEpoch = old.leadership().epoch();

            KillSession.kill(old.connection().client().getZookeeperClient().getZooKeeper());
            Await.until("a new leader", WAIT, () -> leaders().size() == 1 && leaders().get(0) != old);
            Contender next = leaders().get(0);
            long nextEpoch = next.leadership().epoch();
            next.close();
            contenders.remove(next);

            assertEquals(List.of("INFO node " + old.id() + ": leader with epoch " + oldEpoch,
                    "INFO node " + next.id() + ": leader with epoch " + nextEpoch),
                    lines.linesWith(": leader with epoch").subList(0, 2));
            List<String> lost = lines.linesWith("node " + old.id() + ": no longer leader");
            assertEquals(1, lost.size(), "the raw event and Curator's SUSPENDED are one change: " + lost);
            assertTrue(lost.get(0).startsWith("WARN node " + old.id() + ": no longer leader (epoch " + oldEpoch
                    + "): ZooKeeper session "), lost.get(0));
            assertEquals(List.of("INFO node " + next.id() + ": no longer leader (epoch " + nextEpoch + "): shutting down"),
                    lines.linesWith("node " + next.id() + ": no longer leader"));
        }
    }

    @Test
    void standaloneIsAlwaysLeaderWithAFixedEpoch() {
        try (LogCapture lines = new LogCapture(StandaloneLeadership.class)) {
            StandaloneLeadership standalone = new StandaloneLeadership();
            standalone.addListener(log.listenerFor("solo"));
            standalone.start();
            assertTrue(standalone.isLeader());
            assertEquals(StandaloneLeadership.EPOCH, standalone.epoch());
            standalone.close();
            assertFalse(standalone.isLeader());
            assertEquals(2, log.size());
            assertEquals(List.of("INFO standalone (no ZooKeeper): leader with epoch 1",
                    "INFO standalone: no longer leader (epoch 1): shutting down"), lines.linesWith("leader"));
        }
    }
}
