package io.cairn.node.config;

import io.cairn.sdn.SdnConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration of one node, as validated by {@link ConfigLoader}. Immutable.
 *
 * @param cluster null when the node runs standalone (no {@code cluster} section)
 */
public record CairnConfig(NodeConfig node, VnetConfig vnet, List<PeerConfig> peers, AdminConfig admin, RibConfig rib,
                          SdnConfig sdn, ClusterConfig cluster, JournalConfig journal) {

    public CairnConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(vnet, "vnet");
        peers = List.copyOf(peers);
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(rib, "rib");
        Objects.requireNonNull(sdn, "sdn");
        Objects.requireNonNull(journal, "journal");
    }

    /** A config whose journal is temporary. */
    public CairnConfig(NodeConfig node, VnetConfig vnet, List<PeerConfig> peers, AdminConfig admin, RibConfig rib,
                       SdnConfig sdn, ClusterConfig cluster) {
        this(node, vnet, peers, admin, rib, sdn, cluster, JournalConfig.TEMPORARY);
    }

    /** A standalone node's config. */
    public CairnConfig(NodeConfig node, VnetConfig vnet, List<PeerConfig> peers, AdminConfig admin, RibConfig rib,
                       SdnConfig sdn) {
        this(node, vnet, peers, admin, rib, sdn, null);
    }

    /** A config that programs no SDN. */
    public CairnConfig(NodeConfig node, VnetConfig vnet, List<PeerConfig> peers, AdminConfig admin, RibConfig rib) {
        this(node, vnet, peers, admin, rib, SdnConfig.NONE);
    }

    /** A config with the default route selection switches. */
    public CairnConfig(NodeConfig node, VnetConfig vnet, List<PeerConfig> peers, AdminConfig admin) {
        this(node, vnet, peers, admin, RibConfig.DEFAULT);
    }

    /** The peer with this name, if configured. */
    public Optional<PeerConfig> peer(String name) {
        return peers.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
