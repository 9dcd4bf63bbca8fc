package io.cairn.sdn;

import java.util.List;

/**
 * One SDN back end (OVN northbound, a Linux routing table, a JSON file). A driver only ever
 * reads and writes the entries Cairn owns; everything else in the SDN is invisible to it.
 *
 * <p>Fencing: every write carries the leader's epoch. A driver keeps the highest epoch that
 * wrote (in the SDN itself where it can, so every node sees it) and refuses, with
 * {@link FencedException}, a write whose epoch is lower. A write with a higher epoch raises the
 * stored one, atomically with the write.
 */
public interface SdnDriver extends AutoCloseable {

    /** A short name for logs and metrics: "ovn", "linux", "file". */
    String name();

    /** Cairn's own entries as the SDN holds them now. */
    RouteTable read() throws SdnException;

    /**
     * Applies {@code diff} as one batch fenced by {@code epoch}; an empty diff still checks and
     * raises the stored epoch.
     *
     * @throws FencedException when a newer leader has written (the stored epoch is higher)
     * @throws SdnException when the SDN is unreachable or refuses the write
     */
    void apply(long epoch, RouteDiff diff) throws SdnException;

    /**
     * Applies the batches of one diff (no prefix in two of them) in order, each one as
     * {@link #apply(long, RouteDiff)} would, asking {@code progress} before sending each whether to
     * go on. A driver that can have several batches in flight at once overrides this; it then
     * stops sending at the first batch refused, but batches already sent after it may still have
     * been applied (each one is complete for its prefixes, so the SDN is never half-way through
     * a prefix, and the next sync sets right whatever is left).
     *
     * @return false when {@code progress} stopped it before the last batch
     */
    default boolean apply(long epoch, List<RouteDiff> batches, BatchProgress progress) throws SdnException {
        for (RouteDiff batch : batches) {
            if (!progress.proceed()) {
                return false;
            }
            apply(epoch, batch);
            progress.written();
        }
        return true;
    }

    /**
     * Asks to be told when Cairn's entries may have changed outside Cairn (drift), where the
     * back end can say so cheaply (OVSDB monitor). Drivers that cannot simply never call it;
     * the reconciler also repairs drift periodically.
     */
    default void onExternalChange(Runnable listener) {
    }

    @Override
    void close();
}
