package io.cairn.node.cluster;

import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.membership.ClusterMembership;
import io.cairn.cluster.membership.ClusterPaths;
import io.cairn.cluster.membership.LeaderWatch;
import io.cairn.cluster.membership.Leadership;
import io.cairn.cluster.membership.LeadershipListener;
import io.cairn.cluster.membership.Member;
import io.cairn.cluster.membership.ZooKeeperConnection;
import io.cairn.cluster.membership.ZooKeeperLeadership;
import io.cairn.cluster.replica.Replicas;
import io.cairn.cluster.replication.Endpoint;
import io.cairn.cluster.replication.JournalSource;
import io.cairn.cluster.replication.OriginLag;
import io.cairn.cluster.replication.ReplicationManager;
import io.cairn.cluster.replication.ReplicationServer;
import io.cairn.cluster.replication.ReplicationTls;
import io.cairn.node.config.ClusterConfig;
import io.cairn.node.rib.RouteServer;
import io.netty.handler.ssl.SslContext;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node in its cluster: it serves its journal, registers as a member with the endpoint
 * others pull from, pulls every other member into its replicas, and contends for leadership.
 * ZooKeeper being unreachable stops none of it from starting: the node serves BGP, never leads,
 * and the client keeps trying (fail static: the SDN keeps what it has).
 */
public final class NodeCluster implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeCluster.class);

    private final ReplicationServer server;
    private final ReplicationManager pulls;
    private final ZooKeeperConnection zookeeper;
    private final ClusterMembership membership;
    private final OriginAging aging;
    private final ZooKeeperLeadership leadership;
    private final LeaderWatch leaderWatch;
    private final Member self;

    private NodeCluster(ReplicationServer server, ReplicationManager pulls, ZooKeeperConnection zookeeper,
                        ClusterMembership membership, ZooKeeperLeadership leadership, LeaderWatch leaderWatch,
                        OriginAging aging) {
        this.server = server;
        this.pulls = pulls;
        this.zookeeper = zookeeper;
        this.membership = membership;
        this.leadership = leadership;
        this.leaderWatch = leaderWatch;
        this.aging = aging;
        this.self = membership.self();
    }

    /**
     * Joins: binds the replication server, connects to ZooKeeper (waiting at most the session
     * timeout, then going on without it), registers, starts pulling and contending, and has
     * {@code rib} drop the routes of members gone for the persist time. Leadership
     * goes to {@code leaders}, which hear {@code elected} only from here on: call after the
     * journal replay, so a new leader programs the replayed table.
     *
     * @throws IOException the replication server cannot bind, or its TLS files cannot be read
     */
    public static NodeCluster join(String nodeId, ClusterConfig config, Journal journal, Replicas replicas,
                                   RouteServer rib, List<LeadershipListener> leaders)
            throws IOException, InterruptedException {
        ReplicationTls tls = config.replicationTls() == null ? null : new ReplicationTls(
                config.replicationTls().cert(), config.replicationTls().key(), config.replicationTls().ca());
        ReplicationServer server = new ReplicationServer(nodeId, new JournalSource(journal), serverContext(tls));
        Endpoint endpoint;
        try {
            InetSocketAddress bound = server.start(config.replicationListen());
            endpoint = Endpoint.toPublish(bound, config.replicationAdvertise());
        } catch (Exception e) { // Netty rethrows the bind's BindException undeclared
            server.close();
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IOException("cluster.replication.listen " + config.replicationListen() + ": " + e.getMessage(), e);
        }
        // One event loop: replication of a few origins is far from a core's worth of work.
        ReplicationManager pulls = new ReplicationManager(nodeId, replicas::replica, clientContext(tls), 1);
        ZooKeeperConnection zookeeper = ZooKeeperConnection.open(config.zookeeper(), config.sessionTimeout(),
                config.sessionTimeout());
        ClusterPaths paths = new ClusterPaths(config.name());
        ClusterMembership membership = new ClusterMembership(zookeeper.client(), paths,
                new Member(nodeId, endpoint.toString()));
        OriginAging aging = new OriginAging(nodeId, config.persist(), rib, replicas.all().keySet(), pulls::lag,
                replicas::directory);
        membership.addListener(pulls);
        membership.addListener(aging);
        ZooKeeperLeadership leadership = new ZooKeeperLeadership(zookeeper, paths, nodeId);
        leaders.forEach(leadership::addListener);
        membership.start();
        leadership.start();
        LeaderWatch leaderWatch = new LeaderWatch(zookeeper.client(), paths);
        leaderWatch.start();
        LOG.info("cluster {}: member {} (journal served at {}), ZooKeeper {}", config.name(), nodeId, endpoint,
                config.zookeeper());
        return new NodeCluster(server, pulls, zookeeper, membership, leadership, leaderWatch, aging);
    }

    private static SslContext serverContext(ReplicationTls tls) throws SSLException {
        return tls == null ? null : tls.serverContext();
    }

    private static SslContext clientContext(ReplicationTls tls) throws SSLException {
        return tls == null ? null : tls.clientContext();
    }

    public Leadership leadership() {
        return leadership;
    }

    /** The cluster's leadership as ZooKeeper shows it to every member, for the operator. */
    public LeaderWatch leaderWatch() {
        return leaderWatch;
    }

    public Member self() {
        return self;
    }

    /** The members ZooKeeper lists now, this node included once registered. */
    public List<Member> members() {
        return membership.members();
    }

    /** Replication lag per origin pulled now. */
    public Map<String, OriginLag> lag() {
        return pulls.lag();
    }

    /**
     * Leaves: leadership first (no write after this), then the member entry and the session, so
     * the others elect at once rather than after the session timeout; then replication.
     */
    @Override
    public void close() {
        try {
            leadership.close();
            membership.close();
        } catch (IOException e) {
            LOG.warn("cluster: leaving: {}", e.toString());
        }
        leaderWatch.close();
        zookeeper.close();
        aging.close();
        pulls.close();
        server.close();
    }
}
