package io.cairn.node.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.cluster.testing.ZooKeeperEnsemble;
import io.cairn.node.admin.Http;
import io.cairn.node.cli.CairnJvm;
import io.cairn.node.interop.BirdDaemon;
import io.cairn.node.interop.DaemonSpec;
import io.cairn.node.interop.Tools;
import io.cairn.testsupport.Await;
import io.cairn.testsupport.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster as it runs, for the process tests: a ZooKeeper ensemble of three server processes,
 * every node a {@code cairn run} process, BIRD NVAs, and the file SDN driver shared by the nodes.
 * Every node is configured with the same three NVAs (sdwan 127.0.0.83, firewall 127.0.0.84,
 * branch 127.0.0.85, passive: the NVAs connect); which of them peer with which node is up to
 * the test. Nodes can be killed (SIGKILL), stopped (SIGTERM) and started again on the same
 * journal, config and ports.
 */
final class ProcessCluster implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * The nodes' cluster.session-timeout: the shortest allowed, to keep the tests short; bench/RESULTS.md's
     * failover figure is taken with the default (-Dcairn.cluster.session-timeout-ms=6000).
     */
    static final Duration SESSION_TIMEOUT = Duration.ofMillis(Long.getLong("cairn.cluster.session-timeout-ms", 2_000));
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The reconciler's audit line for a write that changed the SDN (a write of nothing is not logged at INFO). */
    private static final Pattern CHANGES_APPLIED = Pattern.compile("SDN \\(file\\): synced at epoch \\d+: (\\d+) changes applied");

    private final Path dir;
    private final ZooKeeperEnsemble zookeeper;
    private final Path sdn;
    private final List<Node> nodes = new ArrayList<>();
    private final List<BirdDaemon> nvas = new ArrayList<>();

    private ProcessCluster(Path dir, ZooKeeperEnsemble zookeeper) {
        this.dir = dir;
        this.zookeeper = zookeeper;
        this.sdn = dir.resolve("effective-routes.json");
    }

    /** Starts the ZooKeeper ensemble; skips the test (loudly) without BIRD. */
    static ProcessCluster start(Path dir) throws IOException, InterruptedException {
        Tools.requireBinary("bird");
        return new ProcessCluster(dir, ZooKeeperEnsemble.start(dir.resolve("zookeeper"), 3));
    }

    ZooKeeperEnsemble zookeeper() {
        return zookeeper;
    }

    /** Starts node {@code id} on {@code address} (free ports) and waits for its admin API. */
    Node node(String id, String address) throws IOException {
        int bgp = Tools.freePort(address);
        int admin = Tools.freePort(address);
        Path config = Files.writeString(dir.resolve(id + ".yaml"), """
                node: {id: %s, router-id: %s, listen: "%s:%d"}
                vnet: {prefixes: [10.1.0.0/16]}
                peers:
                  - {name: sdwan, address: 127.0.0.83, asn: 65001, passive: true}
                  - {name: firewall, address: 127.0.0.84, asn: 65002, passive: true}
                  - {name: branch, address: 127.0.0.85, asn: 65003, passive: true}
                admin: {listen: "%s:%d"}
                journal: {dir: "%s"}
                sdn: {driver: file, file: {path: "%s"}}
                cluster: {zookeeper: "%s", name: failover, session-timeout: %dms,
                          replication: {listen: "%s:%d"}}
                """.formatted(id, address, address, bgp, address, admin, dir.resolve("journal-" + id), sdn,
                zookeeper.connectString(), SESSION_TIMEOUT.toMillis(), address, Tools.freePort(address)));
        Node node = new Node(id, address, bgp, new Http(address + ":" + admin), config, dir.resolve(id + ".log"));
        nodes.add(node);
        node.start();
        return node;
    }

    /** A BIRD NVA peering actively with each node given; the nodes are route servers (RFC 7947). */
    BirdDaemon nva(long asn, String address, Node... to) {
        List<DaemonSpec.Neighbor> neighbors = new ArrayList<>();
        for (Node n : to) {
            neighbors.add(new DaemonSpec.Neighbor(n.address(), n.bgpPort(), 65515, false, null, false, true));
        }
        BirdDaemon bird = new BirdDaemon(new DaemonSpec(address, asn, address, Tools.freePort(address), neighbors));
        nvas.add(bird);
        for (Node n : to) {
            bird.awaitEstablished(n.address(), WAIT);
        }
        return bird;
    }

    /** The node that leads, once exactly one of {@code among} does. */
    Node awaitOneLeader(List<Node> among) {
        Await.until("one leader among " + among, WAIT, () -> among.stream().filter(Node::leads).count() == 1);
        return among.stream().filter(Node::leads).findFirst().orElseThrow();
    }

    /** The SDN's routes, prefix to next hops; empty before the first write. */
    Map<String, List<String>> routes() {
        JsonNode doc = document();
        Map<String, List<String>> out = new TreeMap<>();
        if (doc != null) {
            doc.get("routes").fields().forEachRemaining(e -> {
                List<String> hops = new ArrayList<>();
                e.getValue().forEach(h -> hops.add(h.asText()));
                out.put(e.getKey(), hops);
            });
        }
        return out;
    }

    /** The epoch of the SDN's last writer, 0 before the first write. */
    long epoch() {
        JsonNode doc = document();
        return doc == null ? 0 : doc.get("epoch").asLong();
    }

    /** The file driver's document, or null before its first write (it is replaced by rename, never half-written). */
    private JsonNode document() {
        try {
            return Files.exists(sdn) ? JSON.readTree(sdn.toFile()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Changes every node has applied to the SDN so far, from the reconcilers' audit lines. */
    long changesWritten() {
        long total = 0;
        for (Node n : nodes) {
            Matcher m = CHANGES_APPLIED.matcher(n.logText());
            while (m.find()) {
                total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }

    @Override
    public void close() throws Exception {
        for (Node n : nodes) {
            n.kill();
        }
        for (BirdDaemon nva : nvas) {
            nva.close();
        }
        zookeeper.close();
    }

    /** One node: its addresses, config and log; its process comes and goes. */
    final class Node {
        private final String id;
        private final String address;
        private final int bgpPort;
        private final Http admin;
        private final Path config;
        private final Path log;
        private Process process;

        private Node(String id, String address, int bgpPort, Http admin, Path config, Path log) {
            this.id = id;
            this.address = address;
            this.bgpPort = bgpPort;
            this.admin = admin;
            this.config = config;
            this.log = log;
        }

        String id() {
            return id;
        }

        String address() {
            return address;
        }

        int bgpPort() {
            return bgpPort;
        }

        Http admin() {
            return admin;
        }

        Process process() {
            return process;
        }

        /** Starts {@code cairn run} on this node's config and journal, and waits for its admin API. */
        void start() throws IOException {
            process = new ProcessBuilder(CairnJvm.command(List.of(), "run", "--config", config.toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            Process p = process;
            Await.until(id + " answers", WAIT, () -> {
                assertTrue(p.isAlive(), id + " exited; see " + log);
                return clusterView() != null;
            });
        }

        /** SIGKILL: a crash, nothing written on the way out. */
        void kill() {
            if (process != null) {
                assertTrue(Processes.killTree(process.toHandle(), STOP_GRACE).isEmpty(), id + " survived SIGKILL");
            }
        }

        /** SIGTERM, and waits for the clean shutdown (leadership and member entry given up first). */
        void stop() {
            assertTrue(Processes.stopTree(process.toHandle(), STOP_GRACE).isEmpty(), id + " did not stop");
        }

        /** GET /api/v1/cluster, or null while the admin API does not answer. */
        JsonNode clusterView() {
            try {
                return admin.get("/api/v1/cluster").json();
            } catch (Exception notYet) {
                return null;
            }
        }

        boolean leads() {
            JsonNode view = clusterView();
            return view != null && view.get("leader").asBoolean();
        }

        /** GET /api/v1/routes/digest's Loc-RIB part (count and hash), or null while it does not answer. */
        JsonNode locRibDigest() {
            try {
                return admin.get("/api/v1/routes/digest").json().get("loc_rib");
            } catch (Exception notYet) {
                return null;
            }
        }

        String logText() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
