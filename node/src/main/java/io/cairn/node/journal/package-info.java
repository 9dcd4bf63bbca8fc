/**
 * What the node writes into its journal: the BGP events learned from peers (PEER_UP, UPDATE,
 * PEER_DOWN, END_OF_RIB) and the Adj-RIB-In entries of snapshots, as payloads of the cluster
 * module's opaque journal records. BGP messages inside them are wire bytes of the node's one codec.
 */
package io.cairn.node.journal;
