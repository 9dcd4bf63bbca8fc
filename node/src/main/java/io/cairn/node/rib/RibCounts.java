package io.cairn.node.rib;

import java.util.Map;

/**
 * The RIB's counts at one instant, read from counters the RIB keeps (no walk over the paths).
 *
 * @param peers    every peer that ever came up, by name
 * @param prefixes prefixes in the Loc-RIB (Cairn's own VNet prefixes included)
 * @param paths    every peer's Adj-RIB-In plus the VNet routes originated here, and in a cluster
 *                 the copies of other members' paths this node holds (one NVA heard by two nodes
 *                 is two paths here; the Loc-RIB and the SDN count it once)
 * @param ecmpSets Loc-RIB prefixes whose selection has more than one path
 */
public record RibCounts(Map<String, PrefixCounts> peers, int prefixes, long paths, int ecmpSets) {

    public static final RibCounts EMPTY = new RibCounts(Map.of(), 0, 0, 0);

    public PrefixCounts peer(String name) {
        return peers.getOrDefault(name, PrefixCounts.NONE);
    }
}
