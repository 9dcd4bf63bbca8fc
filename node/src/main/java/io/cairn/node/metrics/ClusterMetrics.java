package io.cairn.node.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.cairn.cluster.membership.Leadership;
import io.cairn.cluster.replication.OriginLag;
import io.cairn.node.CairnNode;
import io.cairn.node.cluster.NodeCluster;

import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The {@code cairn.cluster.*} gauges: leadership as this node holds it and as ZooKeeper shows it,
 * the members, and one set of replication gauges per origin pulled now. A standalone node reads
 * as a cluster of one that it leads with epoch 1, as {@code cairn cluster} shows it. Every value
 * is read when polled; only the set of origins is kept, and brought up to date by
 * {@link #syncOrigins()}.
 */
final class ClusterMetrics {

    private final CairnNode node;
    private final MetricRegistry registry;
    private final MetricGroups origins;

    ClusterMetrics(CairnNode node, MetricRegistry registry) {
        this.node = node;
        this.registry = registry;
        this.origins = new MetricGroups(registry, ClusterMetrics::prefix, origin -> {
            lagGauge(origin, "records-behind", OriginLag::behind);
            lagGauge(origin, "streaming", lag -> lag.streaming() ? 1 : 0);
        });
        gauge("cairn.cluster.is-leader", () -> node.leadership().map(l -> l.isLeader() ? 1 : 0).orElse(0));
        gauge("cairn.cluster.epoch", this::epoch);
        gauge("cairn.cluster.members", () -> cluster().map(c -> c.members().size()).orElse(started() ? 1 : 0));
        gauge("cairn.cluster.failovers", () -> cluster().map(c -> c.leaderWatch().termsSinceFirstSeen()).orElse(0L));
    }

    /** A follower's own epoch is none: the cluster's is the newest any leader took. */
    private long epoch() {
        Optional<NodeCluster> cluster = cluster();
        if (cluster.isPresent()) {
            return cluster.get().leaderWatch().epoch();
        }
        return node.leadership().map(Leadership::epoch).orElse(Leadership.NO_EPOCH);
    }

    /** Started and standalone: the only member. */
    private boolean started() {
        return node.leadership().isPresent();
    }

    private Optional<NodeCluster> cluster() {
        return node.cluster();
    }

    /** Registers the gauges of origins pulled since the last call and removes those no longer pulled. */
    void syncOrigins() {
        origins.sync(cluster().map(c -> c.lag().keySet()).orElse(Set.of()));
    }

    private static String prefix(String origin) {
        return "cairn.cluster.replication." + origin + ".";
    }

    /** Read from the origin's lag on every poll; 0 once it is no longer pulled (until its gauges go). */
    private void lagGauge(String origin, String metric, ToLongFunction<OriginLag> value) {
        gauge(prefix(origin) + metric, () -> {
            OriginLag lag = cluster().map(c -> c.lag().get(origin)).orElse(null);
            return lag == null ? 0 : value.applyAsLong(lag);
        });
    }

    private void gauge(String name, Gauge<? extends Number> gauge) {
        registry.register(name, gauge);
    }
}
