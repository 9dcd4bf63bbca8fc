package io.cairn.cluster.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.testsupport.Await;
import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalFixture;
import io.cairn.cluster.membership.ClusterMembership;
import io.cairn.cluster.membership.ClusterPaths;
import io.cairn.cluster.membership.Member;
import io.cairn.cluster.membership.ZooKeeperConnection;
import io.cairn.cluster.membership.ZooKeeperTesting;
import io.cairn.cluster.replication.Endpoint;
import io.cairn.cluster.replication.JournalSource;
import io.cairn.cluster.replication.ReplicationManager;
import io.cairn.cluster.replication.ReplicationServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in one JVM, each with its journal, replication server, replicas on disk and a
 * {@link ReplicationManager} following the member set in a real ZooKeeper: each pulls the two
 * others into its replicas, stops pulling one that leaves and resumes when it joins again.
 */
class ReplicasFollowMembershipTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ClusterPaths PATHS = new ClusterPaths("replicas");

    @TempDir Path dir;
    private final JournalFixture fixture = new JournalFixture();

    /** One node: the parts of the cluster module a Cairn node wires together. */
    private final class Node implements AutoCloseable {
        final String id;
        final Journal journal;
        final Replicas replicas;
        final ReplicationServer server;
        final InetSocketAddress at;
        final ReplicationManager manager;
        final ZooKeeperConnection zk;
        ClusterMembership membership;
        int written;

        Node(String id, String zookeeper) throws Exception {
            this.id = id;
            Path journalDir = Files.createDirectory(dir.resolve(id));
            journal = Journal.open(journalDir, fixture.options());
            replicas = Replicas.open(journalDir, fixture.options());
            server = new ReplicationServer(id, new JournalSource(journal), null);
            at = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            // Two event loops, so a rejoining origin would land on another thread if not kept on its own.
            manager = new ReplicationManager(id, replicas::replica, null, 2);
            zk = ZooKeeperTesting.connect(zookeeper);
        }

        void join() {
            membership = new ClusterMembership(zk.client(), PATHS, new Member(id, Endpoint.of(at).toString()));
            membership.addListener(manager);
            membership.start();
        }

        void leave() throws IOException {
            membership.close();
            membership = null;
        }

        void write(int count) throws Exception {
            for (int i = 0; i < count; i++, written++) {
                byte[] payload = JournalFixture.payload(written);
                journal.append((short) 1, payload, 0, payload.length);
            }
        }

        long held(Node origin) {
            return replicas.lastIndexes().getOrDefault(origin.id, -1L);
        }

        @Override
        public void close() throws Exception {
            if (membership != null) {
                leave();
            }
            manager.close();
            zk.close();
            server.close();
            replicas.close();
            journal.close();
        }
    }

    private static void awaitEachHoldsTheOthers(List<Node> nodes) {
        for (Node node : nodes) {
            for (Node origin : nodes) {
                if (origin != node) {
                    Await.until(node.id + " to hold " + origin.id + " up to " + origin.journal.lastIndex(), WAIT,
                            () -> node.held(origin) == origin.journal.lastIndex());
                }
            }
        }
    }

    @Test
    void eachNodePullsEveryOtherMemberIntoItsReplicaWhileItIsAMember() throws Exception {
        try (TestingServer zookeeper = ZooKeeperTesting.server();
                Node a = new Node("a", zookeeper.getConnectString());
                Node b = new Node("b", zookeeper.getConnectString());
                Node c = new Node("c", zookeeper.getConnectString())) {
            List<Node> all = List.of(a, b, c);
            for (Node node : all) {
                node.write(100);
                node.join();
            }
            awaitEachHoldsTheOthers(all);
            assertEquals(Set.of("b", "c"), a.replicas.all().keySet(), "a node never pulls itself");
            assertEquals(ReplicaRecords.originFromSnapshot(c.journal),
                    ReplicaRecords.replicaFromSnapshot(a.replicas.replica("c")));

            c.leave();
            Await.until("a and b to stop pulling c", WAIT,
                    () -> a.manager.lag().keySet().equals(Set.of("b")) && b.manager.lag().keySet().equals(Set.of("a")));
            assertEquals(Set.of("b", "c"), a.replicas.all().keySet(), "the replica of a departed member stays");
            c.write(50);
            a.write(50);
            Await.until("b to hold a's new records", WAIT, () -> b.held(a) == a.journal.lastIndex());

            c.join();
            awaitEachHoldsTheOthers(all);
            assertEquals(ReplicaRecords.originFromSnapshot(c.journal),
                    ReplicaRecords.replicaFromSnapshot(b.replicas.replica("c")));
            assertEquals(Map.of("b", b.journal.lastIndex(), "c", c.journal.lastIndex()), a.replicas.lastIndexes());
        }
    }
}
