package io.cairn.cluster.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.testsupport.Await;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every member shows of the cluster's leadership, against a real ZooKeeper server. */
class LeaderWatchTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ClusterPaths PATHS = new ClusterPaths("watch");

    private final List<Closeable> open = new ArrayList<>();
    private TestingServer zookeeper;

    @AfterEach
    void closeAll() throws IOException {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private LeaderWatch watch() throws InterruptedException {
        LeaderWatch watch = new LeaderWatch(connection().client(), PATHS);
        open.add(watch);
        watch.start();
        return watch;
    }

    private ZooKeeperLeadership contender(String id) throws InterruptedException {
        ZooKeeperLeadership leadership = new ZooKeeperLeadership(connection(), PATHS, id);
        open.add(leadership);
        leadership.start();
        return leadership;
    }

    /** Closes a contender's leadership (once: a latch refuses a second close). */
    private void leave(ZooKeeperLeadership leadership) throws IOException {
        open.remove(leadership);
        leadership.close();
    }

    private ZooKeeperConnection connection() throws InterruptedException {
        ZooKeeperConnection connection = ZooKeeperTesting.connect(zookeeper.getConnectString());
        open.add(connection);
        return connection;
    }

    @Test
    void everyWatcherSeesTheNewestEpochTheLatchHolderAndEachTermBegunSinceItsFirst() throws Exception {
        zookeeper = ZooKeeperTesting.server();
        open.add(zookeeper);
        LeaderWatch fromTheStart = watch();
        ZooKeeperLeadership a = contender("a");
        Await.until("a leads", WAIT, a::isLeader);
        long first = a.epoch();
        LeaderWatch joinedLater = watch();
        Await.until("both see a's epoch and latch", WAIT, () -> fromTheStart.epoch() == first && joinedLater.epoch() == first
                && fromTheStart.latchHolder().equals(Optional.of("a")) && joinedLater.latchHolder().equals(Optional.of("a")));
        assertEquals(0, fromTheStart.termsSinceFirstSeen(), "the first leader of a new cluster is no failover");
        assertEquals(0, joinedLater.termsSinceFirstSeen());

        ZooKeeperLeadership b = contender("b");
        ZooKeeperLeadership c = contender("c");
        leave(a); // b or c takes over, then the other one when that one goes too
        Await.until("another leads", WAIT, () -> b.isLeader() || c.isLeader());
        ZooKeeperLeadership second = b.isLeader() ? b : c;
        ZooKeeperLeadership third = second == b ? c : b;
        leave(second);
        Await.until("the third leads", WAIT, third::isLeader);
        long last = third.epoch();
        assertEquals(first + 2, last);
        Await.until("both count two terms since their first, the last holder named", WAIT,
                () -> fromTheStart.epoch() == last && fromTheStart.termsSinceFirstSeen() == 2
                        && joinedLater.termsSinceFirstSeen() == 2
                        && joinedLater.latchHolder().equals(Optional.of(third == b ? "b" : "c")));
    }
}
