package io.cairn.node.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import io.cairn.node.CairnNode;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.journal.SessionJournal;
import io.cairn.node.rib.PrefixCounts;
import io.cairn.node.rib.RouteServer;
import io.cairn.sdn.Reconciler;
import io.cairn.sdn.SdnHealth;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The node's Dropwizard metrics, exported over JMX in the domain {@code cairn}: one MBean per
 * metric, {@code cairn:type=gauges,name=cairn.peer.<peer>.state} and so on. Remote JMX is the
 * JVM's own ({@code com.sun.management.jmxremote.*} in {@code JAVA_OPTS}), off by default. The
 * names are documented in the README and stay stable.
 */
public final class NodeMetrics implements AutoCloseable {

    public static final String DOMAIN = "cairn";

    private final CairnNode node;
    private final MetricRegistry registry = new MetricRegistry();
    private final RibSampler rib;
    private final JmxReporter jmx;
    private final Set<String> peers = new HashSet<>();

    public NodeMetrics(CairnNode node) {
        this.node = node;
        this.rib = new RibSampler(node);
        gauge("cairn.rib.prefixes", () -> rib.get().prefixes());
        gauge("cairn.rib.paths", () -> rib.get().paths());
        gauge("cairn.rib.ecmp-sets", () -> rib.get().ecmpSets());
        registry.register("cairn.rib.decision-micros", node.routeServer().decisionMicros());
        registerJournal();
        node.sdn().ifPresent(this::registerSdn);
        syncPeers();
        this.jmx = JmxReporter.forRegistry(registry).inDomain(DOMAIN).build();
        jmx.start();
    }

    public MetricRegistry registry() {
        return registry;
    }

    /** Registers the gauges of peers added since, and removes those of peers gone (config reload). */
    public synchronized void syncPeers() {
        Set<String> now = new HashSet<>();
        node.peers().forEach(p -> now.add(p.name()));
        for (String gone : Set.copyOf(peers)) {
            if (!now.contains(gone)) {
                registry.removeMatching((name, metric) -> name.startsWith(prefix(gone)));
                peers.remove(gone);
            }
        }
        for (String name : now) {
            if (peers.add(name)) {
                registerPeer(name);
            }
        }
    }

    private void registerPeer(String name) {
        String p = prefix(name);
        peerGauge(p + "state", name, peer -> peer.state().ordinal() + 1L);
        peerGauge(p + "uptime-seconds", name,
                peer -> peer.establishedAtMillis() == 0 ? 0 : (System.currentTimeMillis() - peer.establishedAtMillis()) / 1000);
        peerGauge(p + "updates-in", name, Peer::updatesIn);
        peerGauge(p + "updates-out", name, Peer::updatesOut);
        peerGauge(p + "flaps", name, Peer::flaps);
        peerGauge(p + "last-error-code", name, peer -> errorCode(peer.lastNotification()));
        prefixGauge(p + "prefixes-received", name, PrefixCounts::received);
        prefixGauge(p + "prefixes-accepted", name, PrefixCounts::accepted);
        prefixGauge(p + "prefixes-advertised", name, PrefixCounts::advertised);
    }

    /** The SDN writer's counters, read from the reconciler's health on every poll (a cheap snapshot). */
    private void registerJournal() {
        SessionJournal journal = node.sessionJournal();
        gauge("cairn.journal.records", journal::appendedRecords);
        gauge("cairn.journal.bytes", journal::appendedBytes);
        gauge("cairn.journal.queued", journal::queued);
        gauge("cairn.journal.snapshots", journal::snapshots);
        gauge("cairn.journal.last-snapshot-paths", journal::lastSnapshotPaths);
        gauge("cairn.journal.last-snapshot-millis", journal::lastSnapshotMillis);
        gauge("cairn.journal.healthy", () -> node.journalProblem() == null ? 1 : 0);
        gauge("cairn.journal.replay-millis", () -> replay().millis());
        gauge("cairn.journal.replay-records", () -> replay().records());
    }

    private RouteServer.Replay replay() {
        return node.routeServer().replayed().getNow(new RouteServer.Replay(0, 0, 0));
    }

    private void registerSdn(Reconciler sdn) {
        sdnGauge("cairn.sdn.is-leader", sdn, h -> h.state().writer() ? 1 : 0);
        sdnGauge("cairn.sdn.epoch", sdn, SdnHealth::epoch);
        sdnGauge("cairn.sdn.writes", sdn, SdnHealth::writes);
        sdnGauge("cairn.sdn.failures", sdn, SdnHealth::failures);
        sdnGauge("cairn.sdn.drift-repairs", sdn, SdnHealth::driftRepairs);
        sdnGauge("cairn.sdn.routes-programmed", sdn, SdnHealth::routesProgrammed);
        sdnGauge("cairn.sdn.last-success-millis", sdn, h -> h.lastSuccess() == null ? 0 : h.lastSuccess().toEpochMilli());
    }

    private void sdnGauge(String metric, Reconciler sdn, ToLongFunction<SdnHealth> value) {
        gauge(metric, () -> value.applyAsLong(sdn.health()));
    }

    private static String prefix(String peer) {
        return "cairn.peer." + peer + ".";
    }

    /** Code * 100 + subcode, so Cease / Administrative Shutdown (6/2) reads 602; 0 before any. */
    static long errorCode(NotificationMessage n) {
        return n == null ? 0 : n.code() * 100L + n.subcode();
    }

    /** A gauge of a peer looked up by name on every read, so a restarted peer is followed. */
    private void peerGauge(String metric, String peer, ToLongFunction<Peer> value) {
        gauge(metric, () -> {
            Peer p = node.peer(peer);
            return p == null ? 0 : value.applyAsLong(p);
        });
    }

    private void prefixGauge(String metric, String peer, Function<PrefixCounts, Integer> value) {
        gauge(metric, () -> value.apply(rib.get().peer(peer)));
    }

    private void gauge(String name, Gauge<? extends Number> gauge) {
        registry.register(name, gauge);
    }

    @Override
    public void close() {
        jmx.close();
    }
}
