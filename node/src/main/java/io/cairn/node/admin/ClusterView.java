package io.cairn.node.admin;

import java.util.List;

/**
 * What {@code GET /api/v1/cluster} shows. The shape is fixed now; a standalone node (no
 * {@code cluster} section) reports itself as the only member and the leader, epoch 1, as
 * DESIGN.md says it behaves. The cluster issue supplies a live implementation.
 */
@FunctionalInterface
public interface ClusterView {

    Status status();

    /**
     * @param mode    "standalone", or "cluster" when ZooKeeper is configured
     * @param leader  this node is the leader (writes the SDN)
     * @param epoch   the fencing epoch of the current leadership
     * @param members every member, this node included
     */
    record Status(String mode, String self, boolean leader, long epoch, List<Member> members) {
    }

    /** @param replicationLag entries of this member's journal not yet replicated here; null for self */
    record Member(String id, boolean self, boolean leader, Long replicationLag) {
    }

    static ClusterView standalone(String nodeId) {
        Status s = new Status("standalone", nodeId, true, 1, List.of(new Member(nodeId, true, true, null)));
        return () -> s;
    }
}
