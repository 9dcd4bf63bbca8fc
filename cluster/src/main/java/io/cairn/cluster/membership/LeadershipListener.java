package io.cairn.cluster.membership;

/**
 * Told when this node becomes the SDN writer or stops being it. {@link #revoked} is called
 * synchronously by whatever noticed the loss (the ZooKeeper connection thread for SUSPENDED and
 * LOST) before anything else is done, so it must return quickly and must not block on ZooKeeper.
 */
public interface LeadershipListener {

    /** This node now leads; every SDN write must carry {@code epoch}. */
    void elected(long epoch);

    /** This node no longer leads; writes with {@code epoch} must stop at once. */
    void revoked(long epoch);
}
