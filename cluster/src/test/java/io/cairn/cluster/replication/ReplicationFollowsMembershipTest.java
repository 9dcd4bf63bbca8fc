package io.cairn.cluster.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.testsupport.Await;
import io.cairn.cluster.membership.ClusterMembership;
import io.cairn.cluster.membership.ClusterPaths;
import io.cairn.cluster.membership.Member;
import io.cairn.cluster.membership.ZooKeeperConnection;
import io.cairn.cluster.membership.ZooKeeperTesting;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** Replication started and stopped by the member set in a real ZooKeeper. */
class ReplicationFollowsMembershipTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ClusterPaths PATHS = new ClusterPaths("replication");

    private static ClusterMembership join(ZooKeeperConnection zk, String id, InetSocketAddress endpoint) {
        return new ClusterMembership(zk.client(), PATHS, new Member(id, Endpoint.of(endpoint).toString()));
    }

    @Test
    void aNodePullsEachMemberWhileItIsAMember() throws Exception {
        MemoryJournal journalOfA = new MemoryJournal();
        journalOfA.append((short) 1, new byte[] {1});
        MemoryJournal replicaOfA = new MemoryJournal();
        try (TestingServer server = ZooKeeperTesting.server();
                ZooKeeperConnection zkA = ZooKeeperTesting.connect(server.getConnectString());
                ZooKeeperConnection zkB = ZooKeeperTesting.connect(server.getConnectString());
                ReplicationServer serverA = new ReplicationServer("a", journalOfA, null);
                ReplicationManager managerB = new ReplicationManager("b", origin -> replicaOfA, null, 1)) {
            InetSocketAddress atA = serverA.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (ClusterMembership b = join(zkB, "b", new InetSocketAddress(InetAddress.getLoopbackAddress(), 1))) {
                b.addListener(managerB);
                b.start();
                ClusterMembership a = join(zkA, "a", atA);
                a.start();
                Await.until("b pulling a", WAIT, () -> replicaOfA.lastIndex() == 1);
                assertEquals(Set.of("a"), managerB.lag().keySet());

                a.close();
                Await.until("b to stop pulling a", WAIT, () -> managerB.lag().isEmpty());

                journalOfA.append((short) 1, new byte[] {2});
                try (ClusterMembership again = join(zkA, "a", atA)) {
                    again.start();
                    Await.until("b pulling a again", WAIT, () -> replicaOfA.lastIndex() == 2);
                }
            }
        }
    }
}
