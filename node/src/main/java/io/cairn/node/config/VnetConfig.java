package io.cairn.node.config;

import io.cairn.node.bgp.wire.Prefix;

import java.net.InetAddress;
import java.util.List;

/**
 * The virtual network's address space: originated by every node, never hijacked by an NVA.
 *
 * @param nextHop   the next hop the VNet prefixes are advertised with; null means the local
 *                  address of each session, which is right unless the node is reached through
 *                  another address than the one it peers from
 * @param nextHopV6 the next hop of IPv6 VNet prefixes; null means {@code nextHop} (or the session's
 *                  address) in IPv4-mapped form, which some NVAs (BIRD by default) refuse
 */
public record VnetConfig(List<Prefix> prefixes, InetAddress nextHop, InetAddress nextHopV6) {

    public VnetConfig {
        prefixes = List.copyOf(prefixes);
    }

    /** VNet prefixes with one next hop for both families. */
    public VnetConfig(List<Prefix> prefixes, InetAddress nextHop) {
        this(prefixes, nextHop, null);
    }
}
