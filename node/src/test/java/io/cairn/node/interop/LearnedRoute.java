package io.cairn.node.interop;

import java.util.List;

/**
 * A route a daemon learned from a BGP neighbor, read back from the daemon's own CLI.
 * Formats are normalised across daemons: prefix in canonical CIDR as the daemon prints it,
 * communities {@code "65001:100"}, extended communities {@code "rt:65001:100"} /
 * {@code "soo:65001:100"} (other types as the daemon prints them, lower-case), large
 * communities {@code "65001:1:2"}; {@code med} null when absent; {@code fromNeighbor} is the
 * neighbor's session address.
 */
public record LearnedRoute(String prefix, String nextHop, List<Long> asPath, Long med, List<String> communities,
        List<String> extCommunities, List<String> largeCommunities, String fromNeighbor) {

    public LearnedRoute {
        asPath = List.copyOf(asPath);
        communities = List.copyOf(communities);
        extCommunities = List.copyOf(extCommunities);
        largeCommunities = List.copyOf(largeCommunities);
    }
}
