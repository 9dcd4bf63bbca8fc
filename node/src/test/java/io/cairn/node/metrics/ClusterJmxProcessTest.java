package io.cairn.node.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.cairn.node.admin.Http;
import io.cairn.node.admin.Json;
import io.cairn.node.cli.CairnCli;
import io.cairn.node.cli.CairnCli.Run;
import io.cairn.node.cli.CairnJvm;
import io.cairn.node.interop.BirdDaemon;
import io.cairn.node.interop.DaemonSpec;
import io.cairn.node.interop.Route;
import io.cairn.node.interop.Tools;
import io.cairn.testsupport.Await;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two {@code cairn run} processes in one cluster (ZooKeeper from curator-test), each with the
 * README's remote JMX settings: a JMX client reads each node's {@code cairn.cluster.*} MBeans as
 * the cluster forms, as a BIRD NVA's routes replicate from the node it peers with to the other,
 * and as the leader is killed with SIGKILL.
 */
class ClusterJmxProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);
    private static final String NVA = "127.0.0.97";

    @TempDir
    Path dir;

    private TestingServer zookeeper;
    private final List<AutoCloseable> open = new ArrayList<>();

    /** A node: its process, BGP port, admin API and JMX client. */
    private record Node(String id, String address, int bgpPort, String adminAddress, Process process, RemoteJmx jmx) {

        Http admin() {
            return new Http(adminAddress);
        }

        /** GET /api/v1/cluster. */
        JsonNode clusterView() {
            try {
                return admin().get("/api/v1/cluster").json();
            } catch (Exception e) {
                throw new AssertionError(id + ": GET /api/v1/cluster: " + e, e);
            }
        }

        long gauge(String metric) {
            Object value = jmx.value(metric);
            return value == null ? -1 : ((Number) value).longValue();
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    void clusterGaugesFollowLeadershipReplicationAndAFailover() throws Exception {
        Tools.requireBinary("bird");
        zookeeper = new TestingServer(true);
        Node a = node("a", "127.0.0.95");
        Node b = node("b", "127.0.0.96");
        until("two members seen by both",
                () -> a.gauge("cairn.cluster.members") == 2 && b.gauge("cairn.cluster.members") == 2, a, b);
        until("exactly one leader",
                () -> a.gauge("cairn.cluster.is-leader") + b.gauge("cairn.cluster.is-leader") == 1, a, b);
        Node leader = a.gauge("cairn.cluster.is-leader") == 1 ? a : b;
        Node follower = leader == a ? b : a;
        until("the same epoch on both", () -> leader.gauge("cairn.cluster.epoch") > 0
                && leader.gauge("cairn.cluster.epoch") == follower.gauge("cairn.cluster.epoch"), a, b);
        long epoch = leader.gauge("cairn.cluster.epoch");
        assertEquals(0, leader.gauge("cairn.cluster.failovers"));
        assertEquals(0, follower.gauge("cairn.cluster.failovers"));

        // Each node pulls the other's journal: one set of lag gauges per origin, none for itself.
        for (Node n : List.of(a, b)) {
            String other = n == a ? "b" : "a";
            Await.until(n.id() + " streams " + other, WAIT,
                    () -> n.gauge("cairn.cluster.replication." + other + ".streaming") == 1);
            assertNull(n.jmx().value("cairn.cluster.replication." + n.id() + ".records-behind"));
        }
        JsonNode view = follower.admin().get("/api/v1/cluster").json();
        assertEquals(epoch, view.get("epoch").asLong(), "the follower's API shows the cluster's epoch: " + view);
        assertEquals(List.of(leader.id()), leaders(view), "the follower's API names the leader: " + view);

        // The NVA peers with the leader only: the follower learns its routes through replication alone.
        BirdDaemon nva = new BirdDaemon(DaemonSpec.of(65001, NVA, Tools.freePort(NVA),
                DaemonSpec.Neighbor.active(leader.address(), leader.bgpPort(), 65515).asRouteServer()));
        open.add(nva);
        nva.awaitEstablished(leader.address(), WAIT);
        List<String> prefixes = List.of("10.250.0.0/16", "10.251.0.0/16", "10.252.0.0/16");
        for (String prefix : prefixes) {
            nva.announce(Route.of(prefix, NVA));
        }
        // The three prefixes and the VNet's own; the leader's appends are metered.
        Await.until("the leader's Loc-RIB", WAIT, () -> leader.gauge("cairn.rib.prefixes") == prefixes.size() + 1);
        Await.until("the leader's appends metered", WAIT,
                () -> ((Number) leader.jmx().attribute("meters", "cairn.journal.appends", "Count")).longValue() >= 2);
        String lag = "cairn.cluster.replication." + leader.id() + ".records-behind";
        Await.until("the follower caught up: its Loc-RIB as the leader's, nothing behind", WAIT,
                () -> follower.gauge("cairn.rib.prefixes") == prefixes.size() + 1 && follower.gauge(lag) == 0);
        assertEquals(0, leader.gauge("cairn.rib.queue-depth"), "the leader's RIB kept up with its journal");

        // cairn cluster on the follower: both members, the other one leading, nothing behind.
        Run table = CairnCli.run(dir, Map.of(), "cluster", "--admin", follower.adminAddress());
        assertEquals(List.of("Mode: cluster  Epoch: " + epoch, "Member  Role  Replication  Lag",
                        follower.id() + " (this node)  follower  -  -", leader.id() + "  leader  streaming  0"),
                table.lines().stream().map(l -> l.replaceAll("\\s{2,}", "  ").strip()).toList(), table.err());
        Run json = CairnCli.run(dir, Map.of(), "cluster", "--json", "--admin", follower.adminAddress());
        assertEquals(follower.admin().get("/api/v1/cluster").json(), Json.MAPPER.readTree(json.out()));

        leader.process().destroyForcibly(); // SIGKILL
        // ZooKeeper lists the dead leader, as leader, until its session expires; its stream is down at once.
        until("the dead leader listed with its stream down", () -> {
            JsonNode now = follower.clusterView();
            return leaders(now).equals(List.of(leader.id()))
                    && member(now, leader.id()).path("replicating").equals(BooleanNode.FALSE);
        }, follower);
        until(follower.id() + " leads with the next epoch, one failover counted",
                () -> follower.gauge("cairn.cluster.is-leader") == 1 && follower.gauge("cairn.cluster.epoch") == epoch + 1
                        && follower.gauge("cairn.cluster.failovers") == 1, follower);
        until("the dead member gone, its lag gauges with it",
                () -> follower.gauge("cairn.cluster.members") == 1 && follower.jmx().value(lag) == null, follower);
    }

    /** Awaits {@code condition}; on time-out, says what the nodes' cluster gauges read then. */
    private static void until(String what, BooleanSupplier condition, Node... nodes) {
        try {
            Await.until(what, WAIT, condition);
        } catch (AssertionError e) {
            StringBuilder now = new StringBuilder(e.getMessage()).append("; the gauges read");
            for (Node n : nodes) {
                now.append(' ').append(n.id()).append(':');
                for (String g : List.of("members", "is-leader", "epoch", "failovers")) {
                    now.append(' ').append(g).append('=').append(n.gauge("cairn.cluster." + g));
                }
            }
            throw new AssertionError(now.toString(), e);
        }
    }

    private static JsonNode member(JsonNode view, String id) {
        for (JsonNode m : view.get("members")) {
            if (m.get("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError(id + " is not listed: " + view);
    }

    private static List<String> leaders(JsonNode view) {
        List<String> leaders = new ArrayList<>();
        view.get("members").forEach(m -> {
            if (m.get("leader").asBoolean()) {
                leaders.add(m.get("id").asText());
            }
        });
        return leaders;
    }

    private Node node(String id, String address) throws IOException {
        int bgp = Tools.freePort(address);
        int admin = Tools.freePort(address);
        int jmx = Tools.freePort("127.0.0.1");
        Path config = Files.writeString(dir.resolve(id + ".yaml"), """
                node: {id: %s, router-id: %s, listen: "%s:%d"}
                vnet: {prefixes: [10.1.0.0/16]}
                peers:
                  - {name: sdwan, address: %s, asn: 65001, passive: true}
                admin: {listen: "%s:%d"}
                journal: {dir: "%s"}
                cluster: {zookeeper: "%s", name: metrics, session-timeout: %dms,
                          replication: {listen: "%s:%d"}}
                """.formatted(id, address, address, bgp, NVA, address, admin, dir.resolve("journal-" + id),
                zookeeper.getConnectString(), SESSION_TIMEOUT.toMillis(), address, Tools.freePort(address)));
        Process p = new ProcessBuilder(CairnJvm.command(RemoteJmx.jvmOptions(jmx), "run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve(id + ".log").toFile()).start();
        open.add(() -> {
            p.destroyForcibly();
            p.waitFor(15, TimeUnit.SECONDS);
        });
        RemoteJmx client = RemoteJmx.connect(jmx, p, WAIT);
        open.add(client);
        Node node = new Node(id, address, bgp, address + ":" + admin, p, client);
        // Started and in the cluster (it counts itself): the JMX agent answers long before.
        until(id + " joined", () -> {
            assertTrue(p.isAlive(), id + " exited; see " + dir.resolve(id + ".log"));
            return node.gauge("cairn.cluster.members") >= 1;
        }, node);
        return node;
    }
}
