package io.cairn.sdn;

import java.net.InetAddress;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prefix → set of next hops (more than one is ECMP). Used both for the desired table (what the
 * leader's Loc-RIB says) and for what a driver reads back of Cairn's own entries in the SDN.
 * Immutable.
 */
public record RouteTable(Map<IpPrefix, Set<InetAddress>> routes) {

    public static final RouteTable EMPTY = new RouteTable(Map.of());

    /** Copying a map already in prefix order costs no comparisons (TreeMap builds it in one pass). */
    public RouteTable {
        TreeMap<IpPrefix, Set<InetAddress>> copy = new TreeMap<>(routes);
        copy.replaceAll((prefix, hops) -> {
            if (hops.isEmpty()) {
                throw new IllegalArgumentException("no next hop for " + prefix);
            }
            return Set.copyOf(hops);
        });
        routes = Collections.unmodifiableSortedMap(copy);
    }

    public int size() {
        return routes.size();
    }

    /** What must be written to turn {@code actual} into this table. */
    public RouteDiff diffFrom(RouteTable actual) {
        return RouteDiff.between(actual, this);
    }
}
