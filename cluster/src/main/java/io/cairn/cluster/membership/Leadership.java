package io.cairn.cluster.membership;

import java.io.Closeable;

/**
 * Who may write the SDN. At most one node leads at a time; each term of leadership has an
 * epoch that only grows, and the SDN refuses writes carrying an epoch older than the newest
 * it has seen (the fence), so a paused or cut-off former leader can never overwrite a newer one.
 */
public interface Leadership extends Closeable {

    /** Epoch of no term: what {@link #epoch()} returns while not leading. */
    long NO_EPOCH = 0;

    void addListener(LeadershipListener listener);

    void start();

    boolean isLeader();

    /** The epoch of the current term, or {@link #NO_EPOCH} while not leading. */
    long epoch();
}
