package io.cairn.sdn;

import java.time.Duration;
import java.time.Instant;

/**
 * What the SDN side is doing, for the node's health endpoint and metrics: one immutable snapshot
 * taken from the {@link Reconciler}.
 *
 * @param driver           the driver's name ("file", "linux", "ovn")
 * @param state            see {@link State}
 * @param epoch            the leadership epoch this node writes with; 0 in standby
 * @param lastError        the last failure's message, null once a sync succeeds again
 * @param lastSuccess      when the SDN last matched the desired table; null before the first sync
 * @param lastSyncDuration how long that full read-diff-apply took
 * @param writes           batches written (empty claims of the epoch not counted)
 * @param failures         syncs that failed (each retry counts)
 * @param driftRepairs     syncs that found the SDN changed behind Cairn's back and put it right
 * @param routesProgrammed prefixes the SDN held for Cairn after the last successful sync
 */
public record SdnHealth(String driver, State state, long epoch, String lastError, Instant lastSuccess,
                        Duration lastSyncDuration, long writes, long failures, long driftRepairs,
                        int routesProgrammed) {

    public enum State {
        /** Not the leader: writes nothing (fail static: the SDN keeps what it has). */
        STANDBY,
        /** Leading, and a sync is due or running. */
        SYNCING,
        /** Leading, and the SDN held the desired table at the last sync. */
        IN_SYNC,
        /** Leading, and the last sync failed; see lastError. Retrying or waiting for the operator. */
        FAILING,
        /** A newer leader wrote the SDN; this node writes nothing until it leads again with a new epoch. */
        FENCED;

        /** This node is the SDN writer: it leads and no newer leader has fenced it. */
        public boolean writer() {
            return this != STANDBY && this != FENCED;
        }
    }
}
