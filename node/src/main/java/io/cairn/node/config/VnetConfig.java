package io.cairn.node.config;

import io.cairn.node.bgp.wire.Prefix;
import java.util.List;

/** The virtual network's address space: originated by every node, never hijacked by an NVA. */
public record VnetConfig(List<Prefix> prefixes) {

    public VnetConfig {
        prefixes = List.copyOf(prefixes);
    }
}
