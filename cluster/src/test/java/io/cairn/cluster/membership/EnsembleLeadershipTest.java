package io.cairn.cluster.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.testsupport.Await;
import io.cairn.cluster.testing.ZooKeeperEnsemble;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.KillSession;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leadership against a ZooKeeper ensemble of three servers, each in its own process, some of
 * them killed with SIGKILL.
 */
class EnsembleLeadershipTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ClusterPaths PATHS = new ClusterPaths("ensemble");

    @TempDir Path dir;
    private ZooKeeperEnsemble ensemble;
    private final LeadershipLog log = new LeadershipLog();
    private final List<ZooKeeperConnection> connections = new ArrayList<>();
    private final List<ZooKeeperLeadership> leaderships = new ArrayList<>();

    @BeforeEach
    void startEnsemble() throws Exception {
        ensemble = ZooKeeperEnsemble.start(dir, 3);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (ZooKeeperLeadership l : leaderships) {
            l.close();
        }
        connections.forEach(ZooKeeperConnection::close);
        ensemble.close();
    }

    private ZooKeeperLeadership contender(String id, String connectString) throws InterruptedException {
        ZooKeeperConnection connection = ZooKeeperTesting.connect(connectString);
        connections.add(connection);
        ZooKeeperLeadership leadership = new ZooKeeperLeadership(connection, PATHS, id);
        leadership.addListener(log.listenerFor(id));
        leadership.start();
        leaderships.add(leadership);
        return leadership;
    }

    private ZooKeeperLeadership awaitLeader() {
        Await.until("a leader", WAIT, () -> leaderships.stream().anyMatch(Leadership::isLeader));
        return leaderships.stream().filter(Leadership::isLeader).findFirst().orElseThrow();
    }

    /** A write that only a quorum can accept, through {@code connection}'s session. */
    private static void writeThrough(ZooKeeperConnection connection, String name) throws Exception {
        connection.client().create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                .forPath(PATHS.root() + "/probe-" + name, name.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theLeaderKeepsItsTermAndEpochWhileOneOfThreeServersIsKilledAndRestarted() throws Exception {
        int victim = ensemble.follower();
        assertTrue(victim > 0, "a follower among the servers");
        // The nodes talk to the two other servers: the one killed is a follower nobody is connected
        // to, the case where nothing a node sees changes (losing the server a node talks to is a
        // disconnection, on which the node steps down at once, as it must).
        contender("a", ensemble.connectStringWithout(victim));
        contender("b", ensemble.connectStringWithout(victim));
        ZooKeeperLeadership leader = awaitLeader();
        long epoch = leader.epoch();

        long pid = ensemble.pid(victim);
        ensemble.kill(victim);
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "server " + victim + " is dead");
        for (int i = 0; i < connections.size(); i++) {
            writeThrough(connections.get(i), "while-down-" + i);
        }
        ensemble.restart(victim);
        for (int i = 0; i < connections.size(); i++) {
            writeThrough(connections.get(i), "after-restart-" + i);
        }

        assertTrue(leader.isLeader());
        assertEquals(epoch, leader.epoch());
        assertEquals(1, log.size(), "one election and nothing since: " + log.events());
        log.assertConsistent();
    }

    @Test
    void aLeaderChangeAfterTheLeadersSessionIsKilledRaisesTheEpoch() throws Exception {
        contender("a", ensemble.connectString());
        contender("b", ensemble.connectString());
        ZooKeeperLeadership first = awaitLeader();
        long firstEpoch = first.epoch();
        ZooKeeperConnection firstConnection = connections.get(leaderships.indexOf(first));

        ZooKeeperLeadership other = leaderships.get(1 - leaderships.indexOf(first));

        KillSession.kill(firstConnection.client().getZookeeperClient().getZooKeeper());

        Await.until("the other node to lead with a higher epoch", WAIT, () -> other.isLeader() && other.epoch() > firstEpoch);
        assertTrue(log.events().stream().anyMatch(e -> !e.elected() && e.epoch() == firstEpoch),
                "the first leader stepped down: " + log.events());
        log.assertConsistent();
    }

    @Test
    void losingTheServerTheLeaderTalksToMakesItStepDownAndTheNextTermHasAHigherEpoch() throws Exception {
        contender("a", ensemble.connectString());
        contender("b", ensemble.connectString());
        ZooKeeperLeadership first = awaitLeader();
        long firstEpoch = first.epoch();
        int index = leaderships.indexOf(first);
        ZooKeeperLeadership other = leaderships.get(1 - index);

        // The leader's session moves to another server within its timeout, so either node may
        // lead next; what matters is that the leader stopped at the disconnection and that the
        // next term, whoever holds it, has a higher epoch.
        ensemble.kill(serverOf(connections.get(index)));

        Await.until("a leader with a higher epoch", WAIT,
                () -> other.isLeader() && other.epoch() > firstEpoch || first.isLeader() && first.epoch() > firstEpoch);
        assertEquals(new LeadershipLog.Event(1, first == leaderships.get(0) ? "a" : "b", false, firstEpoch, 0),
                withoutTime(log.events().get(1)), "the leader stepped down first: " + log.events());
        log.assertConsistent();
    }

    private static LeadershipLog.Event withoutTime(LeadershipLog.Event e) {
        return new LeadershipLog.Event(e.seq(), e.node(), e.elected(), e.epoch(), 0);
    }

    @Test
    void killingTheLeadersProcessHandsAHigherEpochToAnotherNode() throws Exception {
        Process leaderProcess = startLeaderProcess("a");
        try {
            BlockingQueue<String> said = linesOf(leaderProcess);
            String elected = said.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(elected != null && elected.startsWith("elected "), "the process led first: " + elected);
            long firstEpoch = Long.parseLong(elected.substring("elected ".length()));
            ZooKeeperLeadership b = contender("b", ensemble.connectString());
            assertFalse(b.isLeader(), "the process leads, b waits");

            long killed = System.nanoTime();
            leaderProcess.destroyForcibly(); // SIGKILL: the session ends only by timing out
            assertTrue(leaderProcess.waitFor(10, TimeUnit.SECONDS), "the leader process died");
            Await.until("b to lead with a higher epoch", WAIT, () -> b.isLeader() && b.epoch() > firstEpoch);
            System.out.printf("failover after SIGKILL of the leader's process: %d ms (session timeout %d ms)%n",
                    (System.nanoTime() - killed) / 1_000_000, ZooKeeperTesting.SESSION_TIMEOUT.toMillis());
        } finally {
            leaderProcess.destroyForcibly();
            leaderProcess.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process startLeaderProcess(String id) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=logback-child.xml",
                "-cp", System.getProperty("java.class.path"), LeaderProcess.class.getName(),
                ensemble.connectString(), id, PATHS.clusterName());
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The lines a process prints, as they come (read by a daemon thread until it exits). */
    private static BlockingQueue<String> linesOf(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "leader-process-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** The id of the ensemble server {@code connection}'s session is connected to. */
    private int serverOf(ZooKeeperConnection connection) throws Exception {
        // ZooKeeper's handle names it: "... remoteserver:/127.0.0.1:PORT lastZxid:..."
        String handle = connection.client().getZookeeperClient().getZooKeeper().toString();
        Matcher m = Pattern.compile("remoteserver:\\S*:(\\d+)\\s").matcher(handle);
        assertTrue(m.find(), "no remote server in " + handle);
        for (int id = 1; id <= ensemble.size(); id++) {
            if (ensemble.connectString(id).equals("127.0.0.1:" + m.group(1))) {
                return id;
            }
        }
        throw new AssertionError("port " + m.group(1) + " is no ensemble server's: " + ensemble.connectString());
    }
}
