package io.cairn.cluster.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Member entries and the member set against a real ZooKeeper server. */
class MembershipTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ClusterPaths PATHS = new ClusterPaths("test");

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** What one node's listener heard, as "+id endpoint" and "-id endpoint" lines. */
    private static final class Heard implements MembershipListener {
        private final List<String> events = new ArrayList<>();

        @Override
        public synchronized void joined(Member m) {
            events.add("+" + m.id() + " " + m.endpoint());
        }

        @Override
        public synchronized void left(Member m) {
            events.add("-" + m.id() + " " + m.endpoint());
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }
    }

    private record Node(CuratorFramework client, ClusterMembership membership, Heard heard) {
        Set<String> memberIds() {
            return membership.members().stream().map(Member::id).collect(Collectors.toSet());
        }
    }

    private Node node(String id, String connectString) throws Exception {
        CuratorFramework client = ZooKeeperTesting.connect(connectString).client();
        ClusterMembership membership = new ClusterMembership(client, PATHS, new Member(id, "127.0.0.1:7" + id.length()));
        Heard heard = new Heard();
        membership.addListener(heard);
        membership.start();
        opened.add(client);
        opened.add(membership);
        assertTrue(membership.awaitRegistered(20, TimeUnit.SECONDS), id + " registered");
        return new Node(client, membership, heard);
    }

    /** Closed after the nodes, so they close against a live server. */
    private TestingServer keep(TestingServer server) {
        opened.add(server);
        return server;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void membersSeeEachOtherJoinAndLeaveWhenASessionCloses() throws Exception {
        TestingServer zk = keep(ZooKeeperTesting.server());
        Node a = node("a", zk.getConnectString());
        Node b = node("bb", zk.getConnectString());
        Node c = node("ccc", zk.getConnectString());
        for (Node n : List.of(a, b, c)) {
            Await.until("all three members", WAIT, () -> n.memberIds().equals(Set.of("a", "bb", "ccc")));
        }
        Await.until("a hearing c join", WAIT, () -> a.heard().events().contains("+ccc 127.0.0.1:73"));

        b.membership().close();
        b.client().close();
        Await.until("a hearing bb leave", WAIT, () -> a.heard().events().contains("-bb 127.0.0.1:72"));
        Await.until("c hearing bb leave", WAIT, () -> c.heard().events().contains("-bb 127.0.0.1:72"));
        assertEquals(Set.of("a", "ccc"), a.memberIds());
        assertEquals(List.of("+a 127.0.0.1:71", "+bb 127.0.0.1:72", "+ccc 127.0.0.1:73", "-bb 127.0.0.1:72"),
                a.heard().events());
    }

    @Test
    void anExpiredMemberLeavesAndRejoinsWhenItsClientReconnects() throws Exception {
        TestingServer zk = keep(ZooKeeperTesting.server());
        Node a = node("a", zk.getConnectString());
        Node b = node("bb", zk.getConnectString());
        Await.until("a seeing bb", WAIT, () -> a.memberIds().contains("bb"));

        KillSession.kill(b.client().getZookeeperClient().getZooKeeper());

        Await.until("a hearing bb leave and join again", WAIT, () -> {
            List<String> heard = a.heard().events();
            int left = heard.indexOf("-bb 127.0.0.1:72");
            return left >= 0 && heard.subList(left, heard.size()).contains("+bb 127.0.0.1:72");
        });
        Await.until("bb back in a's member set", WAIT, () -> a.memberIds().equals(Set.of("a", "bb")));
    }

    @Test
    void aMemberEntryRoundTripsAndForeignDataIsRefused() {
        Member m = new Member("node-1", "[fd00::1]:7179");
        assertEquals(m, Member.decode(m.encode()));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Member.decode("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("'hello'"), e.getMessage());
    }

}
