package io.cairn.node.admin;

import io.cairn.cluster.membership.Leadership;
import io.cairn.cluster.replication.OriginLag;
import io.cairn.node.CairnNode;
import io.cairn.node.cluster.NodeCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/v1/cluster} shows. The shape is fixed now; a standalone node (no
 * {@code cluster} section) reports itself as the only member and the leader, epoch 1, as
 * DESIGN.md says it behaves; a cluster node reports what ZooKeeper lists now ({@link #live}).
 */
@FunctionalInterface
public interface ClusterView {

    Status status();

    /**
     * @param mode    "standalone", or "cluster" when ZooKeeper is configured
     * @param leader  this node is the leader (writes the SDN)
     * @param epoch   the fencing epoch of the current leadership: the newest any leader took
     * @param members every member, this node included
     */
    record Status(String mode, String self, boolean leader, long epoch, List<Member> members) {
    }

    /**
     * @param leader         this member leads (for another member: holds the leader latch in ZooKeeper)
     * @param replicationLag entries of this member's journal not yet replicated here, as of the
     *                       last word from it; null for self
     * @param replicating    whether this node's stream of its journal is up now; null for self.
     *                       A member killed a moment ago stays listed (and leader) until ZooKeeper
     *                       expires its session; a stream that is down says so at once
     */
    record Member(String id, boolean self, boolean leader, Long replicationLag, Boolean replicating) {
    }

    /**
     * A cluster node's view, read at each request: the members ZooKeeper lists (just this node
     * until it has joined, or while ZooKeeper is away), whether this node leads, which other member
     * holds the leader latch, the cluster's newest epoch, and how far each other member's replica
     * trails it. What ZooKeeper shows is as last seen: a node cut off from it shows its last view.
     */
    static ClusterView live(CairnNode node, String nodeId) {
        return () -> {
            Leadership leadership = node.leadership().orElse(null);
            boolean leading = leadership != null && leadership.isLeader();
            long epoch = leadership == null ? Leadership.NO_EPOCH : leadership.epoch();
            List<Member> members = new ArrayList<>();
            members.add(new Member(nodeId, true, leading, null, null));
            NodeCluster cluster = node.cluster().orElse(null);
            if (cluster != null) {
                Map<String, OriginLag> lag = cluster.lag();
                String latchHolder = cluster.leaderWatch().latchHolder().orElse(null);
                epoch = Math.max(epoch, cluster.leaderWatch().epoch());
                cluster.members().stream().filter(m -> !m.id().equals(nodeId)).forEach(m -> {
                    OriginLag l = lag.get(m.id());
                    members.add(new Member(m.id(), false, m.id().equals(latchHolder),
                            l == null ? null : l.behind(), l == null ? null : l.streaming()));
                });
            }
            return new Status("cluster", nodeId, leading, epoch, members);
        };
    }

    static ClusterView standalone(String nodeId) {
        Status s = new Status("standalone", nodeId, true, 1, List.of(new Member(nodeId, true, true, null, null)));
        return () -> s;
    }
}
