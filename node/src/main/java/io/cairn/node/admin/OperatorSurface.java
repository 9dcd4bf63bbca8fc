package io.cairn.node.admin;

import io.cairn.node.CairnNode;
import io.cairn.node.config.CairnConfig;
import io.cairn.node.metrics.NodeMetrics;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What operators reach a running daemon through: the admin API and the JMX metrics. Started
 * before the node (health says "not ready" until BGP listens), closed before it.
 */
public final class OperatorSurface implements AutoCloseable {

    private final NodeMetrics metrics;
    private final AdminServer admin;

    private OperatorSurface(NodeMetrics metrics, AdminServer admin) {
        this.metrics = metrics;
        this.admin = admin;
    }

    /**
     * @param configFile the file {@code config} was read from, re-read by {@code POST /api/v1/config/reload}
     * @throws IOException when the admin API cannot start (address in use, unreadable token file)
     */
    public static OperatorSurface start(CairnNode node, CairnConfig config, Path configFile) throws IOException {
        NodeMetrics metrics = new NodeMetrics(node);
        try {
            AdminApi api = new AdminApi(node, config.node().id())
                    .reload(new ConfigReload(configFile, config, node, metrics::syncPeers));
            node.sdn().ifPresent(sdn -> api.effectiveRoutes(EffectiveRoutes.readBack(sdn)));
            if (config.cluster() != null) {
                api.cluster(ClusterView.live(node, config.node().id()));
            }
            return new OperatorSurface(metrics, AdminServer.start(config.admin(), api.router()));
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /** The node's peers exist now: their metrics are registered. */
    public void nodeStarted() {
        metrics.syncPeers();
    }

    public AdminServer admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close();
        metrics.close();
    }
}
