package io.cairn.cluster.membership;

/** Where one cluster keeps its state in ZooKeeper: everything under /cairn/NAME. */
public record ClusterPaths(String clusterName) {

    public ClusterPaths {
        if (clusterName.isEmpty() || clusterName.contains("/")) {
            throw new IllegalArgumentException("cluster name must be non-empty and without '/': '" + clusterName + "'");
        }
    }

    public String root() {
        return "/cairn/" + clusterName;
    }

    /** Parent of the ephemeral member entries, one per live node. */
    public String members() {
        return root() + "/members";
    }

    public String member(String id) {
        return members() + "/" + id;
    }

    /** The LeaderLatch's sequential nodes. */
    public String leaderLatch() {
        return root() + "/leader";
    }

    /** The fencing epoch counter (decimal text), incremented by each new leader. */
    public String epoch() {
        return root() + "/epoch";
    }
}
