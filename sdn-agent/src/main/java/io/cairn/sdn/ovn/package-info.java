/**
 * The ovn driver: Cairn's routes as Logical_Router_Static_Route rows in the OVN northbound
 * database, written over OVSDB JSON-RPC (RFC 7047) by a small client on Netty and Jackson
 * ({@link io.cairn.sdn.ovn.OvsdbConnection}), fenced by an epoch kept on the logical router,
 * and read from a replica that a conditional monitor keeps current. Entry point:
 * {@link io.cairn.sdn.ovn.OvnDriver} with {@link io.cairn.sdn.ovn.OvnOptions}.
 */
package io.cairn.sdn.ovn;
