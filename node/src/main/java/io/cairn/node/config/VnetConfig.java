package io.cairn.node.config;

import io.cairn.node.bgp.wire.Prefix;

import java.net.InetAddress;
import java.util.List;

/**
 * The virtual network's address space: originated by every node, never hijacked by an NVA.
 *
 * @param nextHop the next hop the VNet prefixes are advertised with; null means the local
 *                address of each session, which is right unless the node is reached through
 *                another address than the one it peers from
 */
public record VnetConfig(List<Prefix> prefixes, InetAddress nextHop) {

    public VnetConfig {
        prefixes = List.copyOf(prefixes);
    }
}
