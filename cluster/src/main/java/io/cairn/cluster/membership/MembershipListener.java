package io.cairn.cluster.membership;

/**
 * Told when a member's entry appears or goes. Called on the membership's event thread, one
 * event at a time, in the order ZooKeeper reported them; the local node is reported too.
 */
public interface MembershipListener {

    void joined(Member member);

    void left(Member member);
}
