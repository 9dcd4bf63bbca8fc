package io.cairn.cluster.replication;

/**
 * How far this node's replica of one origin trails the origin, for {@code cairn cluster}.
 *
 * @param originLastIndex the origin's newest index as last reported, or {@link RecordSource#NONE}
 * @param heldIndex       the newest index in the local replica, or {@link RecordSource#NONE}
 * @param behind          records the origin has reported and the replica does not hold yet
 * @param streaming       whether a subscription is established now
 */
public record OriginLag(String origin, long originLastIndex, long heldIndex, long behind, boolean streaming) {
}
