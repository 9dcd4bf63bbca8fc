package io.cairn.cluster.replication;

/**
 * How far this node's replica of one origin trails the origin, for {@code cairn cluster}.
 *
 * @param originLastIndex the origin's newest index as last reported, or {@link RecordSource#NONE}
 * @param heldIndex       the newest index in the local replica, or {@link RecordSource#NONE}
 * @param streaming       whether a subscription is established now
 */
public record OriginLag(String origin, long originLastIndex, long heldIndex, boolean streaming) {

    /** Index distance still to fetch (records, as long as the origin's indexes are consecutive). */
    public long behind() {
        return Math.max(0, originLastIndex - heldIndex);
    }
}
