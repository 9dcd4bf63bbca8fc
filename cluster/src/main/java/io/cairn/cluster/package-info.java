/**
 * HA machinery that knows nothing about BGP: the journal of opaque records (Chronicle Queue),
 * journal replication between nodes into a replica journal per origin, membership and leadership
 * with fencing epochs.
 */
package io.cairn.cluster;
