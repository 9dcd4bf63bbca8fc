/**
 * {@code cairn demo}: the canonical scenario of DESIGN.md on one machine, narrated. An embedded
 * ZooKeeper, two {@code cairn run} nodes as child processes in cluster mode, simulated NVAs built
 * from Cairn's own BGP speaker, the file driver as the SDN; the leader is killed with SIGKILL and
 * the active firewall withdraws its route, and the demo shows what the SDN holds at each step.
 */
package io.cairn.node.demo;
