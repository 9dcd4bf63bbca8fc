package io.cairn.node.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);
    /** How often origins' gauges follow the members and the append meter catches up. */
    static final long TICK_MILLIS = 1_000;

    private final CairnNode node;
    private final MetricRegistry registry = new MetricRegistry();
    private final RibSampler rib;
    private final JmxReporter jmx;
    private final MetricGroups peers;
    private final ClusterMetrics cluster;
    private final Meter journalAppends;
    private long journalAppendsMarked;
    /** Follows what changes without telling: the origins pulled, the journal's append count. */
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-metrics");
        t.setDaemon(true);
        return t;
    });

    public NodeMetrics(CairnNode node) {
        this.node = node;
        this.rib = new RibSampler(node);
        this.peers = new MetricGroups(registry, NodeMetrics::prefix, this::registerPeer);
        gauge("cairn.rib.prefixes", () -> rib.get().prefixes());
        gauge("cairn.rib.paths", () -> rib.get().paths());
        gauge("cairn.rib.ecmp-sets", () -> rib.get().ecmpSets());
        gauge("cairn.rib.queue-depth", node.routeServer()::queueDepth);
        registry.register("cairn.rib.decision-micros", node.routeServer().decisionMicros());
        registerJournal();
        this.journalAppends = registry.meter("cairn.journal.appends");
        this.cluster = new ClusterMetrics(node, registry);
        node.sdn().ifPresent(this::registerSdn);
        syncPeers();
        this.jmx = JmxReporter.forRegistry(registry).inDomain(DOMAIN).build();
        jmx.start();
        ticker.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The journal counts its appends in a plain field (its hot path stays free of metrics); the
     * meter takes them in once a tick. Its rates are exponentially weighted over ticks of five
     * seconds anyway, so marking once a second changes none of them.
     */
    private void tick() {
        try {
            long appended = node.sessionJournal().appendedRecords();
            journalAppends.mark(appended - journalAppendsMarked);
            journalAppendsMarked = appended;
            cluster.syncOrigins();
        } catch (RuntimeException e) {
            log.warn("metrics: {}", e.toString(), e);
        }
    }

    public MetricRegistry registry() {
        return registry;
    }

    /** Registers the gauges of peers added since, and removes those of peers gone (config reload). */
    public void syncPeers() {
        Set<String> now = new HashSet<>();
        node.peers().forEach(p -> now.add(p.name()));
        peers.sync(now);
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

    /** The SDN writer's counters, read from the reconciler's health on every poll (a cheap snapshot). */
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
        ticker.shutdownNow();
        jmx.close();
    }
}
