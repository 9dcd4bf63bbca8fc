/**
 * The node's part in a cluster (DESIGN.md, "Leadership and SDN" and "Data flow"): its member entry
 * and leadership in ZooKeeper, its journal served to the other members and theirs pulled into its
 * replicas, and how long a departed member's routes outlive it.
 */
package io.cairn.node.cluster;
