package io.cairn.node.cluster;

import io.cairn.cluster.membership.LeadershipListener;
import io.cairn.sdn.Reconciler;

/**
 * Hands leadership to the SDN writer: each term's epoch goes with every write, and a revoked term
 * stops writes at once (the reconciler only drops its term; whatever the SDN holds stays).
 */
public final class SdnTerm implements LeadershipListener {

    private final Reconciler sdn;

    public SdnTerm(Reconciler sdn) {
        this.sdn = sdn;
    }

    @Override
    public void elected(long epoch) {
        sdn.startLeading(epoch);
    }

    @Override
    public void revoked(long epoch) {
        sdn.stopLeading();
    }
}
