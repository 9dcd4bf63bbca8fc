package io.cairn.sdn;

import java.net.InetAddress;
import java.util.Collections;
import java.util.Iterator;
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

    /** Equal when both hold the same routes: one walk over the two, which are both in prefix order. */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof RouteTable other) || other.routes.size() != routes.size()) {
            return false;
        }
        Iterator<Map.Entry<IpPrefix, Set<InetAddress>>> theirs = other.routes.entrySet().iterator();
        for (Map.Entry<IpPrefix, Set<InetAddress>> mine : routes.entrySet()) {
            Map.Entry<IpPrefix, Set<InetAddress>> their = theirs.next();
            if (!mine.getKey().equals(their.getKey()) || !mine.getValue().equals(their.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return routes.hashCode();
    }

    public int size() {
        return routes.size();
    }

    /** What must be written to turn {@code actual} into this table. */
    public RouteDiff diffFrom(RouteTable actual) {
        return RouteDiff.between(actual, this);
    }
}
