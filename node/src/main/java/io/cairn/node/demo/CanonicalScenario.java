package io.cairn.node.demo;

import static io.cairn.node.demo.Topology.INTERNET;
import static io.cairn.node.demo.Topology.NODE_AS;
import static io.cairn.node.demo.Topology.ON_PREMISES;
import static io.cairn.node.demo.Topology.VNET;

import io.cairn.node.admin.Json;
import io.cairn.node.bgp.wire.Prefix;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The canonical scenario of DESIGN.md, run and narrated: two nodes in a cluster, an SD-WAN NVA
 * with the on-premises range, an active and a passive (AS-path prepended) firewall with the
 * default route, the file driver as the SDN. Every step waits, bounded, for what it promises and
 * fails with a {@link DemoFailure} naming the step when it does not happen.
 */
public final class CanonicalScenario {

    private final PrintWriter out;
    private final Path dir;
    private final Cleanup cleanup;
    private final Duration timeout;
    private final Path sdn;
    private final long started = System.nanoTime();

    private EmbeddedZooKeeper zookeeper;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private SimulatedNva sdwan;
    private SimulatedNva activeFirewall;
    private SimulatedNva backupFirewall;
    private NodeProcess leader;
    private NodeProcess survivor;
    /** What the SDN held before the leader was killed. */
    private SortedMap<String, List<String>> programmed;

    /**
     * @param dir     where the configs, journals, logs and the SDN file go
     * @param cleanup stops whatever the scenario starts
     * @param timeout the longest any one wait may take
     */
    public CanonicalScenario(PrintWriter out, Path dir, Cleanup cleanup, Duration timeout) {
        this.out = out;
        this.dir = dir;
        this.cleanup = cleanup;
        this.timeout = timeout;
        this.sdn = dir.resolve(Topology.SDN_FILE);
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** Runs every step in order; returns normally only when each did what it promises. */
    public void run() throws DemoFailure, InterruptedException {
        say("Cairn demo: the canonical scenario of DESIGN.md on this machine (files in %s)%n", dir);
        step(1, "start ZooKeeper, two Cairn nodes and three NVAs", this::start);
        step(2, "sessions up on both nodes", this::sessionsUp);
        step(3, "effective routes the workloads get", this::effectiveRoutes);
        step(4, "the VNet advertised to each NVA", this::advertised);
        step(5, "SIGKILL the leader", this::failover);
        step(6, "the active firewall withdraws " + INTERNET, this::withdrawActiveFirewall);
        say("%nDemo complete in %.1f s: every step did what it promises.%n", seconds(System.nanoTime() - started));
    }

    // ---- 1. start -------------------------------------------------------------------------

    private void start() throws Exception {
        // Bound first (stopped last, after the nodes have left the cluster), started once the nodes,
        // the slow part, are on their way.
        zookeeper = cleanup.add(EmbeddedZooKeeper.bind(dir.resolve("zookeeper"), Topology.zookeeperAddress(),
                Topology.ZOOKEEPER_TICK));
        for (String id : Topology.NODE_IDS) {
            NodeProcess node = cleanup.add(NodeProcess.start(Topology.nodeConfig(id, zookeeper.connectString(), dir),
                    dir));
            nodes.add(node);
            say("   node %s      %-11s AS %d  cairn run, pid %d, admin API %s, log %s%n", id,
                    node.address().getHostAddress(), NODE_AS, node.pid(), node.adminAddress(), node.log().getFileName());
        }
        zookeeper.start();
        say("   ZooKeeper   %-11s embedded in this process (%s)%n", Topology.zookeeperAddress().getHostAddress(),
                zookeeper.connectString());
        for (NodeProcess node : nodes) {
            node.awaitReady(timeout);
        }
        sdwan = startNva(Topology.SDWAN);
        activeFirewall = startNva(Topology.ACTIVE_FIREWALL);
        backupFirewall = startNva(Topology.BACKUP_FIREWALL);
        say("   Both nodes originate the VNet %s and share the SDN: the file driver's %s%n", VNET, Topology.SDN_FILE);
    }

    private SimulatedNva startNva(Topology.Nva spec) throws Exception {
        SimulatedNva nva = cleanup.add(SimulatedNva.start(spec.name(), spec.address(), spec.asn(), spec.announces(),
                spec.prepends(), Topology.nvaPeers(nodes)));
        say("   %-11s %-11s AS %d  announces %-14s AS path %-12s (%s)%n", nva.name(),
                nva.address().getHostAddress(), nva.asn(), nva.announces(), nva.asPath(), spec.role());
        return nva;
    }

    // ---- 2. sessions ----------------------------------------------------------------------

    private void sessionsUp() throws Exception {
        List<SimulatedNva> nvas = nvas();
        for (NodeProcess node : nodes) {
            Poll.await("node " + node.id() + ": every NVA's session Established", timeout, () -> {
                node.checkAlive();
                SortedMap<String, String> states = node.peerStates();
                return states.size() == nvas.size() && states.values().stream().allMatch("Established"::equals);
            });
        }
        for (SimulatedNva nva : nvas) {
            Poll.await(nva.name() + ": sessions with both nodes Established", timeout,
                    () -> nodes.stream().allMatch(n -> nva.established(n.id())));
        }
        findLeader();
        say("   Every session Established, %.1f s after the demo started:%n", seconds(System.nanoTime() - started));
        for (NodeProcess node : nodes) {
            NodeProcess.ClusterState c = node.cluster();
            String role = c.leader() ? "leader, epoch " + c.epoch() : "standby";
            say("   node %s  %-16s %s%n", node.id(), role, node.peerStates().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        }
    }

    /** Waits until exactly one node leads and writes the SDN; that one is {@link #leader}, the other the survivor-to-be. */
    private void findLeader() throws DemoFailure, InterruptedException {
        leader = Poll.until("one leader, writing the SDN", timeout, () -> {
            List<NodeProcess> leading = new ArrayList<>();
            for (NodeProcess node : nodes) {
                if (node.cluster().leader() && node.effective().epoch() > 0) {
                    leading.add(node);
                }
            }
            return leading.size() == 1 ? leading.get(0) : null;
        });
        survivor = nodes.get(0) == leader ? nodes.get(1) : nodes.get(0);
    }

    // ---- 3. effective routes --------------------------------------------------------------

    private void effectiveRoutes() throws Exception {
        SortedMap<String, List<String>> expected = table(activeFirewall);
        NodeProcess.Effective effective = Poll.until("the SDN to hold " + expected, timeout, () -> {
            NodeProcess.Effective e = leader.effective();
            return e.routes().equals(expected) ? e : null;
        });
        say("   The SDN, read back through node %s's admin API (GET /api/v1/routes/effective):%n", leader.id());
        printRoutes(effective.routes());
        say("   %s goes to the SD-WAN NVA; %s to firewall-1 only: firewall-2's longer AS path loses.%n",
                ON_PREMISES, INTERNET);
        programmed = effective.routes();
    }

    /** What the SDN should hold while {@code internetVia} is the firewall in use. */
    private SortedMap<String, List<String>> table(SimulatedNva internetVia) {
        SortedMap<String, List<String>> t = new TreeMap<>();
        t.put(ON_PREMISES.toString(), List.of(sdwan.address().getHostAddress()));
        t.put(INTERNET.toString(), List.of(internetVia.address().getHostAddress()));
        return t;
    }

    // ---- 4. advertised --------------------------------------------------------------------

    private void advertised() throws Exception {
        say("   What each NVA learned from each node (the route server passes next hop and AS path on unchanged):%n");
        for (SimulatedNva nva : nvas()) {
            for (NodeProcess node : nodes) {
                Map<Prefix, SimulatedNva.Learned> learned = Poll.until(nva.name() + " to learn the VNet and the other"
                        + " NVAs' routes from node " + node.id(), timeout, () -> {
                            Map<Prefix, SimulatedNva.Learned> l = nva.learnedFrom(node.id());
                            SimulatedNva.Learned vnet = l.get(VNET);
                            boolean vnetFromNode = vnet != null && vnet.nextHop().equals(node.address().getHostAddress())
                                    && vnet.asPath().equals(Long.toString(NODE_AS));
                            return vnetFromNode && l.keySet().containsAll(othersPrefixes(nva)) ? l : null;
                        });
                say("   %-10s from %s: %s%n", nva.name(), node.id(), learned.values().stream()
                        .map(r -> r.prefix() + " via " + r.nextHop() + " (AS path " + r.asPath() + ")")
                        .collect(Collectors.joining(", ")));
            }
        }
    }

    /** The prefixes of the NVAs in other ASes: a path holding the NVA's own AS is not sent to it (loop). */
    private List<Prefix> othersPrefixes(SimulatedNva nva) {
        return nvas().stream().filter(o -> o.asn() != nva.asn()).map(SimulatedNva::announces).distinct().toList();
    }

    // ---- 5. failover ----------------------------------------------------------------------

    private void failover() throws Exception {
        findLeader(); // again: on a busy machine a starved node can lose its term between the steps
        long writesBefore = survivor.metric("cairn.sdn.writes");
        long oldEpoch = leader.cluster().epoch();
        say("   Killing node %s, the leader (pid %d), with SIGKILL%n", leader.id(), leader.pid());
        long killedAtMillis = System.currentTimeMillis();
        long killed = System.nanoTime();
        leader.kill(timeout);
        NodeProcess.Effective takenOver = Poll.until("node " + survivor.id() + " to lead and write the SDN", timeout,
                () -> {
                    NodeProcess.Effective e = survivor.effective();
                    return e.epoch() > oldEpoch ? e : null;
                });
        long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        say("   node %s took over %d ms after the kill (ZooKeeper session timeout %d ms):%n"
                + "   it leads with epoch %d and may write the SDN%n", survivor.id(), failoverMillis,
                Topology.SESSION_TIMEOUT.toMillis(), takenOver.epoch());
        if (!survivor.cluster().leader()) {
            throw new DemoFailure("node " + survivor.id() + " writes with epoch " + takenOver.epoch()
                    + " but its cluster view says it does not lead");
        }
        Poll.await("node " + survivor.id() + "'s first sync of the SDN as leader", timeout,
                () -> survivor.metric("cairn.sdn.last-success-millis") >= killedAtMillis);
        List<String> members = Poll.until("node " + leader.id() + " gone from the members", timeout, () -> {
            List<String> m = survivor.cluster().members();
            return m.equals(List.of(survivor.id())) ? m : null;
        });
        for (SimulatedNva nva : nvas()) {
            if (!nva.established(survivor.id()) || nva.flaps(survivor.id()) != 0) {
                throw new DemoFailure(nva.name() + "'s session with node " + survivor.id()
                        + " went down during the failover");
            }
        }
        say("   members now: %s; every NVA kept its session with node %s (no flap)%n", String.join(", ", members),
                survivor.id());
        SortedMap<String, List<String>> after = survivor.effective().routes();
        if (!after.equals(programmed)) {
            throw new DemoFailure("the effective routes changed on failover: " + programmed + " before, " + after
                    + " after");
        }
        long writes = survivor.metric("cairn.sdn.writes") - writesBefore;
        if (writes != 0) {
            throw new DemoFailure("node " + survivor.id() + " wrote " + writes + " route batches to the SDN on taking"
                    + " over; a converged cluster's leader change writes none");
        }
        long stored = sdnEpoch();
        if (stored != takenOver.epoch()) {
            throw new DemoFailure("the SDN holds epoch " + stored + ", not node " + survivor.id() + "'s "
                    + takenOver.epoch() + ", after its first sync as leader");
        }
        say("   Effective routes unchanged:%n");
        printRoutes(after);
        say("   SDN writes by node %s since the kill: 0 (JMX cairn.sdn.writes): its first sync found every%n"
                + "   route in place and only stored its epoch %d in the SDN, which fences node %s out%n", survivor.id(),
                stored, leader.id());
    }

    /** The epoch stored in the SDN file: the newest leader's, which every write must match or exceed. */
    private long sdnEpoch() throws IOException {
        return Json.MAPPER.readTree(sdn.toFile()).path("epoch").asLong();
    }

    // ---- 6. withdrawal --------------------------------------------------------------------

    private void withdrawActiveFirewall() throws Exception {
        long writesBefore = survivor.metric("cairn.sdn.writes");
        say("   firewall-1 loses its uplink and withdraws %s from node %s%n", INTERNET, survivor.id());
        long withdrawn = System.nanoTime();
        activeFirewall.withdraw();
        SortedMap<String, List<String>> expected = table(backupFirewall);
        SortedMap<String, List<String>> now = Poll.until("the SDN to send " + INTERNET + " to firewall-2", timeout, () -> {
            SortedMap<String, List<String>> routes = survivor.effective().routes();
            return routes.equals(expected) ? routes : null;
        });
        long movedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - withdrawn);
        say("   Traffic to %s moved to the backup, firewall-2, %d ms after the withdrawal:%n", INTERNET, movedMillis);
        printRoutes(now);
        say("   SDN writes by node %s for it: %d%n", survivor.id(), survivor.metric("cairn.sdn.writes") - writesBefore);
    }

    // ---- helpers --------------------------------------------------------------------------

    private void step(int number, String title, Step body) throws DemoFailure, InterruptedException {
        say("%n%d. %s%n", number, title.substring(0, 1).toUpperCase(Locale.ROOT) + title.substring(1));
        try {
            body.run();
        } catch (DemoFailure e) {
            throw new DemoFailure("step " + number + " (" + title + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new DemoFailure("step " + number + " (" + title + "): " + e, e);
        }
    }

    private List<SimulatedNva> nvas() {
        return List.of(sdwan, activeFirewall, backupFirewall);
    }

    private void printRoutes(SortedMap<String, List<String>> routes) {
        routes.forEach((prefix, hops) -> say("     %-16s via %s%n", prefix, String.join(", ", hops)));
    }

    private void say(String format, Object... args) {
        out.printf(format, args);
        out.flush();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
